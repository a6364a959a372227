// Worker entry for distance-kernels-workers.test.ts: attaches to the owner's KernelMemory, scans the
// owner's resident vectors, and allocates concurrently with the owner to exercise the shared lock.
import { parentPort, workerData } from 'node:worker_threads';
import { allocatorStress } from './allocator-stress.js';
import { DistanceKernels } from './distance-kernels.js';
import { KernelMemory } from './kernel-memory.js';
import type { ResidentVectors } from './resident-vectors.js';
import type { WasmMemory } from './web-assembly.js';

interface Job {
  memory: WasmMemory;
  vectors: ResidentVectors;
  queries: Float32Array;
  k: number;
  rounds: number;
  marker: number;
}

const job = workerData as Job;
const kernels = DistanceKernels.load(KernelMemory.attach(job.memory));
const result = kernels.topK({
  metric: 'L2',
  queries: job.queries,
  base: job.vectors,
  dim: job.vectors.dim,
  k: job.k,
});
const overlaps = allocatorStress(kernels.memory, job.rounds, job.marker);
kernels.dispose();
parentPort!.postMessage({ ids: result.ids, scores: result.scores, count: result.count, overlaps });
