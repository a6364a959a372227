// Worker thread entry of KernelWorkerPool: attaches to the owner's KernelMemory (so resident vectors
// and indexes are used in place, never copied) and runs the tasks posted to it one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import { KernelMemory } from '../../kernels/distance/kernel-memory.js';
import type { WasmMemory } from '../../kernels/distance/web-assembly.js';
import { type KernelTask, runKernelTask } from './kernel-task.js';

const kernels = DistanceKernels.load(KernelMemory.attach((workerData as { memory: WasmMemory }).memory));

/** Progress messages at most every this many ms: enough for logs and DescribeIndex. */
const PROGRESS_INTERVAL_MS = 250;

parentPort!.on('message', (message: { id: number; task: KernelTask }) => {
  let lastProgress = 0;
  const onProgress = (done: number, total: number) => {
    const now = Date.now();
    if (now - lastProgress < PROGRESS_INTERVAL_MS && done < total) return;
    lastProgress = now;
    parentPort!.postMessage({ id: message.id, progress: { done, total } });
  };
  try {
    const result = runKernelTask(kernels, message.task, onProgress);
    // Scan results are fresh arrays (not kernel memory): hand them over without a copy.
    const transfer =
      'ids' in result
        ? [result.ids.buffer as ArrayBuffer, result.scores.buffer as ArrayBuffer]
        : 'bytes' in result
          ? [result.bytes.buffer as ArrayBuffer]
          : [];
    parentPort!.postMessage({ id: message.id, result }, transfer);
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).message ?? String(error) });
  }
});
