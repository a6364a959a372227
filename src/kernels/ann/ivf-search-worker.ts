// Worker entry for ivf-index-workers.test.ts: attaches to the owner's KernelMemory and searches the
// owner's IVF indexes through their posted handles, without copying them.
import { parentPort, workerData } from 'node:worker_threads';
import { DistanceKernels } from '../distance/distance-kernels.js';
import { KernelMemory } from '../distance/kernel-memory.js';
import type { ResidentVectors } from '../distance/resident-vectors.js';
import type { WasmMemory } from '../distance/web-assembly.js';
import { type IvfHandle, IvfIndex } from './ivf-index.js';
import { releaseIvfScratch } from './ivf-scratch.js';

export interface IvfWorkerCase {
  handle: IvfHandle;
  vectors: ResidentVectors;
  queries: Float32Array | Uint8Array;
}

interface Job {
  memory: WasmMemory;
  cases: IvfWorkerCase[];
  k: number;
  nprobe: number;
  rounds: number;
}

const job = workerData as Job;
const kernels = DistanceKernels.load(KernelMemory.attach(job.memory));
const answers = job.cases.map(({ handle, vectors, queries }) => {
  const index = IvfIndex.attach(handle, vectors);
  let result = index.search(kernels, { queries, k: job.k, nprobe: job.nprobe });
  // Repeated so this worker's searches overlap the owner's and the other worker's.
  for (let round = 1; round < job.rounds; round++) {
    result = index.search(kernels, { queries, k: job.k, nprobe: job.nprobe }, result);
  }
  return { ids: result.ids, scores: result.scores, count: result.count };
});
releaseIvfScratch(kernels);
kernels.dispose();
parentPort!.postMessage(answers);
