import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DistanceKernels } from '../distance/distance-kernels.js';
import { seededRandom } from '../seeded-random.js';
import { binaryKMeans } from './binary-kmeans.js';
import { assignNearest, kMeans } from './kmeans.js';

const kernels = DistanceKernels.load();

/** n points around each of `centres` (row-major), jittered by at most ±0.05 per dimension. */
function blobs(centres: number[][], n: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  const dim = centres[0]!.length;
  const points = new Float32Array(centres.length * n * dim);
  centres.forEach((centre, c) => {
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < dim; d++) points[(c * n + i) * dim + d] = centre[d]! + (random() - 0.5) * 0.1;
    }
  });
  return points;
}

test('kMeans finds well separated clusters, deterministically for a seed', () => {
  const centres = [
    [0, 0, 0],
    [10, 0, 0],
    [0, 10, 0],
    [0, 0, 10],
  ];
  const points = blobs(centres, 50, 1);
  const ptr = kernels.memory.allocate(points.byteLength);
  kernels.memory.float32(ptr, points.length).set(points);
  const run = (seed: number) =>
    kMeans(kernels, {
      dataPtr: ptr,
      n: 200,
      dim: 3,
      k: 4,
      metric: 'L2',
      spherical: false,
      iterations: 10,
      random: seededRandom(seed),
    });
  const centroids = run(7);
  assert.deepEqual(run(7), centroids);
  // Every true centre has a centroid within the jitter.
  for (const centre of centres) {
    const near = [0, 1, 2, 3].some((c) => centre.every((v, d) => Math.abs(centroids[c * 3 + d]! - v) < 0.05));
    assert.ok(near, `no centroid near ${centre}`);
  }
  const assignment = new Int32Array(200);
  assignNearest(kernels, 'L2', ptr, 200, 3, centroids, 4, assignment);
  for (let c = 0; c < 4; c++) {
    const label = assignment[c * 50]!;
    for (let i = 0; i < 50; i++) assert.equal(assignment[c * 50 + i], label);
  }
  kernels.memory.release(ptr);
});

test('kMeans refills empty clusters and spherical k-means keeps unit centroids', () => {
  // 8 identical-looking clusters' worth of centroids for 2 real blobs: splits keep every cluster used.
  const points = blobs(
    [
      [1, 0],
      [0, 1],
    ],
    100,
    2,
  );
  const ptr = kernels.memory.allocate(points.byteLength);
  kernels.memory.float32(ptr, points.length).set(points);
  const centroids = kMeans(kernels, {
    dataPtr: ptr,
    n: 200,
    dim: 2,
    k: 8,
    metric: 'IP',
    spherical: true,
    iterations: 8,
    random: seededRandom(3),
  });
  for (let c = 0; c < 8; c++) {
    const norm = Math.hypot(centroids[c * 2]!, centroids[c * 2 + 1]!);
    assert.ok(Math.abs(norm - 1) < 1e-5, `centroid ${c} norm ${norm}`);
  }
  const assignment = new Int32Array(200);
  assignNearest(kernels, 'L2', ptr, 200, 2, centroids, 8, assignment);
  assert.ok(new Set(assignment).size >= 4, 'empty clusters were split off populated ones');
  kernels.memory.release(ptr);
});

test('binaryKMeans centroids are the per-bit majority of their members', () => {
  // Two groups of 16-bit codes: around 0xff00 and 0x00ff with one flipped bit each.
  const n = 40;
  const data = new Uint8Array(n * 2);
  for (let i = 0; i < n; i++) {
    const base = i < 20 ? 0xff00 : 0x00ff;
    const code = base ^ (1 << (i % 16));
    data[i * 2] = code >> 8;
    data[i * 2 + 1] = code & 0xff;
  }
  const ptr = kernels.memory.allocate(data.length);
  kernels.memory.uint8(ptr, data.length).set(data);
  const centroids = binaryKMeans(kernels, {
    dataPtr: ptr,
    n,
    dimBits: 16,
    k: 2,
    iterations: 5,
    random: seededRandom(4),
  });
  const codes = [0, 1].map((c) => (centroids[c * 2]! << 8) | centroids[c * 2 + 1]!).sort();
  assert.deepEqual(codes, [0x00ff, 0xff00]);
  // Unused tail bits stay zero.
  const odd = binaryKMeans(kernels, {
    dataPtr: ptr,
    n,
    dimBits: 13,
    k: 2,
    iterations: 3,
    random: seededRandom(4),
  });
  assert.equal(odd[1]! & 0x07, 0);
  assert.equal(odd[3]! & 0x07, 0);
  kernels.memory.release(ptr);
});
