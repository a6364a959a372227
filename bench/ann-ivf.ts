/**
 * IVF_FLAT (L2) in Quiver's kernels vs faiss IndexIVFFlat, single thread, nq = 1:
 *  - synthetic: 100,000 x 128 clustered Gaussian (1,000 centres, seed 1), 1,000 queries drawn from
 *    the same mixture, truth by an exact kernels.topK scan; nlist 1024;
 *  - fashion-mnist: 60,000 x 784, the first 1,000 test queries with the shipped ground truth; nlist 256.
 * Per dataset: build time and index memory of each, then for nprobe 1..64 recall@10 (one batched
 * search) and QPS of one-query searches over all queries, Quiver and faiss interleaved per nprobe,
 * best of --rounds rounds (the machine is shared). Both train k-means with 10 iterations on at most
 * 256 points per centroid. faiss runs in a Python child (bench/peers/faiss-ivf.py, Debian's
 * python3-faiss: bench/peers/install-faiss.sh); without it the bench prints "faiss not available" and
 * measures Quiver alone. faiss's nq = 1 figure includes Python's call overhead (a few µs per call),
 * Quiver's includes the JS → WASM call and copies.
 *
 * Usage: node dist/bench/ann-ivf.js [--rows=100000] [--queries=1000] [--rounds=3]
 *          [--nprobes=1,2,4,8,16,32,64] [--datasets=synthetic,fashion] [--fashion-nlist=256]
 * Prints one JSON object, then a table.
 */
import { type ChildProcessByStdio, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { IvfIndex } from '../src/kernels/ann/ivf-index.js';
import { DistanceKernels } from '../src/kernels/distance/distance-kernels.js';
import { createTopKResult } from '../src/kernels/distance/top-k-result.js';
import { seededRandom } from '../src/kernels/seeded-random.js';
import { loadFashionMnist } from '../test/helpers/fashion-mnist.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';
import { round } from './round.js';

const K = 10;
const ITERATIONS = 10;
const SEED = 1234;

interface Dataset {
  name: string;
  dim: number;
  base: Float32Array;
  queries: Float32Array;
  truth: Int32Array;
  nlist: number;
}

/** Gaussian mixture: `centres` centres ~ N(0, 1) per dimension, points = centre + N(0, sigma^2). */
function clusteredGaussian(
  rows: number,
  queries: number,
  dim: number,
  centres: number,
  sigma: number,
): Omit<Dataset, 'truth' | 'nlist' | 'name'> {
  const random = seededRandom(1);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centre = new Float32Array(centres * dim);
  for (let i = 0; i < centre.length; i++) centre[i] = gaussian();
  const draw = (count: number) => {
    const out = new Float32Array(count * dim);
    for (let r = 0; r < count; r++) {
      const c = Math.floor(random() * centres);
      for (let d = 0; d < dim; d++) out[r * dim + d] = centre[c * dim + d]! + sigma * gaussian();
    }
    return out;
  };
  return { dim, base: draw(rows), queries: draw(queries) };
}

function recallOf(ids: Int32Array, truth: Int32Array, nq: number): number {
  let hits = 0;
  for (let q = 0; q < nq; q++) {
    const expected = new Set(truth.subarray(q * K, (q + 1) * K));
    for (let j = 0; j < K; j++) if (expected.has(ids[q * K + j]!)) hits++;
  }
  return hits / (nq * K);
}

/** A line-protocol session with the faiss peer, or undefined when python3 cannot import faiss. */
class FaissPeer {
  private readonly lines: AsyncIterator<string>;
  private constructor(
    private readonly child: ChildProcessByStdio<Writable, Readable, null>,
    reader: Interface,
    readonly python: string,
  ) {
    this.lines = reader[Symbol.asyncIterator]();
  }

  static start(): FaissPeer | undefined {
    const candidates = [process.env.FAISS_PYTHON, '/usr/bin/python3', 'python3'].filter(
      (python): python is string => python !== undefined && python !== '',
    );
    const python = candidates.find(
      (candidate) => spawnSync(candidate, ['-c', 'import faiss, numpy'], { stdio: 'ignore' }).status === 0,
    );
    if (python === undefined) return undefined;
    const script = join(
      dirname(fileURLToPath(import.meta.url)),
      '..',
      '..',
      'bench',
      'peers',
      'faiss-ivf.py',
    );
    const child = spawn(python, [script], { stdio: ['pipe', 'pipe', 'inherit'] });
    return new FaissPeer(child, createInterface({ input: child.stdout }), python);
  }

  async ask(command: string): Promise<Record<string, number | string>> {
    this.child.stdin.write(`${command}\n`);
    const line = await this.lines.next();
    if (line.done) throw new Error(`faiss peer exited during "${command}"`);
    const answer = JSON.parse(line.value) as Record<string, number | string>;
    if (answer.error !== undefined) throw new Error(`faiss peer: ${answer.error}`);
    return answer;
  }

  async stop(): Promise<void> {
    this.child.stdin.end('quit\n');
    await new Promise((resolve) => this.child.once('exit', resolve));
  }
}

interface Row {
  nprobe: number;
  quiverRecall: number;
  quiverQps: number;
  faissRecall?: number;
  faissQps?: number;
  qpsRatio?: number;
}

async function runDataset(dataset: Dataset, nprobes: number[], rounds: number, peer: FaissPeer | undefined) {
  const { dim, nlist } = dataset;
  const nq = dataset.queries.length / dim;
  const kernels = DistanceKernels.load();
  const vectors = kernels.storeFloat32(dataset.base, dim);

  let faissInfo: Record<string, number | string> | undefined;
  let faissBuild: Record<string, number | string> | undefined;
  let directory: string | undefined;
  if (peer) {
    directory = mkdtempSync(join(tmpdir(), 'quiver-ann-ivf-'));
    writeFileSync(
      join(directory, 'base.f32'),
      new Uint8Array(dataset.base.buffer, dataset.base.byteOffset, dataset.base.byteLength),
    );
    writeFileSync(
      join(directory, 'queries.f32'),
      new Uint8Array(dataset.queries.buffer, dataset.queries.byteOffset, dataset.queries.byteLength),
    );
    writeFileSync(
      join(directory, 'truth.i32'),
      new Uint8Array(dataset.truth.buffer, dataset.truth.byteOffset, dataset.truth.byteLength),
    );
    faissInfo = await peer.ask(`load ${directory} ${dim} ${K}`);
    faissBuild = await peer.ask(`build ${nlist} ${ITERATIONS} ${SEED}`);
  }
  const started = performance.now();
  const index = IvfIndex.build(kernels, vectors, {
    indexType: 'IVF_FLAT',
    metric: 'L2',
    nlist,
    seed: SEED,
    iterations: ITERATIONS,
  });
  const quiverBuildMs = performance.now() - started;

  const single = createTopKResult(1, K);
  const rows: Row[] = [];
  for (const nprobe of nprobes) {
    const all = index.search(kernels, { queries: dataset.queries, k: K, nprobe });
    const row: Row = { nprobe, quiverRecall: round(recallOf(all.ids, dataset.truth, nq), 4), quiverQps: 0 };
    for (let r = 0; r < rounds; r++) {
      const begin = performance.now();
      for (let q = 0; q < nq; q++) {
        index.search(
          kernels,
          { queries: dataset.queries.subarray(q * dim, (q + 1) * dim), k: K, nprobe },
          single,
        );
      }
      row.quiverQps = Math.max(row.quiverQps, nq / ((performance.now() - begin) / 1000));
      if (peer) {
        const answer = await peer.ask(`search ${nprobe}`);
        row.faissRecall = round(answer.recall as number, 4);
        row.faissQps = Math.max(row.faissQps ?? 0, answer.qps as number);
      }
    }
    row.quiverQps = Math.round(row.quiverQps);
    if (row.faissQps !== undefined) {
      row.faissQps = Math.round(row.faissQps);
      row.qpsRatio = round(row.quiverQps / row.faissQps, 2);
    }
    rows.push(row);
  }
  index.release(kernels);
  kernels.release(vectors);
  if (directory) rmSync(directory, { recursive: true, force: true });

  // The first nprobe reaching recall 0.95, per system, and the QPS there.
  const atTarget = (recall: (row: Row) => number | undefined, qps: (row: Row) => number | undefined) => {
    const row = rows.find((candidate) => (recall(candidate) ?? 0) >= 0.95);
    return row ? { nprobe: row.nprobe, qps: qps(row)! } : undefined;
  };
  const quiverAt95 = atTarget(
    (row) => row.quiverRecall,
    (row) => row.quiverQps,
  );
  const faissAt95 = peer
    ? atTarget(
        (row) => row.faissRecall,
        (row) => row.faissQps,
      )
    : undefined;
  return {
    dataset: dataset.name,
    rows: dataset.base.length / dim,
    dim,
    queries: nq,
    nlist,
    quiver: { buildMs: Math.round(quiverBuildMs), memoryBytes: index.memoryBytes },
    faiss: faissBuild
      ? {
          version: faissInfo!.version,
          compileOptions: faissInfo!.compileOptions,
          buildMs: Math.round(faissBuild.buildMs as number),
          memoryBytes: faissBuild.memoryBytes,
        }
      : undefined,
    sweep: rows,
    recall95: {
      quiver: quiverAt95,
      faiss: faissAt95,
      qpsRatio: quiverAt95 && faissAt95 ? round(quiverAt95.qps / faissAt95.qps, 2) : undefined,
    },
  };
}

async function main(): Promise<void> {
  const rowsArg = Number(argument('rows', '100000'));
  const queryCount = Number(argument('queries', '1000'));
  const rounds = Number(argument('rounds', '3'));
  const nprobes = argument('nprobes', '1,2,4,8,16,32,64').split(',').map(Number);
  const wanted = argument('datasets', 'synthetic,fashion').split(',');
  const peer = FaissPeer.start();
  if (!peer) console.error('faiss not available: measuring Quiver alone (see bench/peers/install-faiss.sh)');

  const results = [];
  if (wanted.includes('synthetic')) {
    const centres = Number(argument('centres', '100'));
    const sigma = Number(argument('sigma', '1'));
    const data = clusteredGaussian(rowsArg, queryCount, 128, centres, sigma);
    const kernels = DistanceKernels.load();
    const truth = kernels.topK({ metric: 'L2', queries: data.queries, base: data.base, dim: 128, k: K }).ids;
    kernels.dispose();
    results.push(
      await runDataset({ name: 'synthetic-gaussian', ...data, truth, nlist: 1024 }, nprobes, rounds, peer),
    );
  }
  if (wanted.includes('fashion')) {
    const fashion = loadFashionMnist({ queryLimit: queryCount });
    const truth = new Int32Array(fashion.queryCount * K);
    for (let q = 0; q < fashion.queryCount; q++) {
      truth.set(fashion.groundTruth.subarray(q * fashion.groundTruthK, q * fashion.groundTruthK + K), q * K);
    }
    const nlist = Number(argument('fashion-nlist', '256'));
    results.push(
      await runDataset(
        {
          name: 'fashion-mnist-784',
          dim: fashion.dim,
          base: fashion.base,
          queries: fashion.queries,
          truth,
          nlist,
        },
        nprobes,
        rounds,
        peer,
      ),
    );
  }
  await peer?.stop();

  const report = {
    bench: 'ann-ivf',
    machine: machineFacts(),
    faiss: peer ? { python: peer.python } : 'faiss not available',
    k: K,
    iterations: ITERATIONS,
    rounds,
    results,
  };
  console.log(JSON.stringify(report));
  for (const result of results) {
    console.log('');
    const faissBuild = result.faiss
      ? `, faiss ${result.faiss.buildMs} ms / ${(Number(result.faiss.memoryBytes) / 1e6).toFixed(1)} MB`
      : '';
    console.log(
      `${result.dataset} ${result.rows} x ${result.dim}, nlist ${result.nlist}, ${result.queries} queries, nq = 1, 1 thread. ` +
        `Build / memory: Quiver ${result.quiver.buildMs} ms / ${(result.quiver.memoryBytes / 1e6).toFixed(1)} MB${faissBuild}`,
    );
    console.log(
      formatTable(
        ['nprobe', 'Quiver recall', 'Quiver QPS', 'faiss recall', 'faiss QPS', 'QPS ratio'],
        result.sweep.map((row) => [
          String(row.nprobe),
          row.quiverRecall.toFixed(4),
          String(row.quiverQps),
          row.faissRecall?.toFixed(4) ?? '-',
          row.faissQps === undefined ? '-' : String(row.faissQps),
          row.qpsRatio === undefined ? '-' : `${row.qpsRatio.toFixed(2)}x`,
        ]),
      ),
    );
    const { quiver, faiss, qpsRatio } = result.recall95;
    console.log(
      `recall >= 0.95: Quiver ${quiver ? `nprobe ${quiver.nprobe}, ${quiver.qps} QPS` : 'not reached'}; ` +
        `faiss ${faiss ? `nprobe ${faiss.nprobe}, ${faiss.qps} QPS` : peer ? 'not reached' : '-'}` +
        (qpsRatio === undefined ? '' : `; Quiver / faiss = ${qpsRatio.toFixed(2)}x`),
    );
  }
}

await main();
