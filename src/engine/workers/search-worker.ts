// Worker thread entry of SearchWorkerPool: attaches to the owner's KernelMemory (so resident vectors
// are scanned in place, never copied) and runs the tasks posted to it one at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import { KernelMemory } from '../../kernels/distance/kernel-memory.js';
import type { WasmMemory } from '../../kernels/distance/web-assembly.js';
import { runScanTask, type ScanTask } from './scan-task.js';

const kernels = DistanceKernels.load(KernelMemory.attach((workerData as { memory: WasmMemory }).memory));

parentPort!.on('message', (message: { id: number; task: ScanTask }) => {
  try {
    const result = runScanTask(kernels, message.task);
    // The result arrays are fresh (not kernel memory): hand them over without a copy.
    parentPort!.postMessage({ id: message.id, result }, [
      result.ids.buffer as ArrayBuffer,
      result.scores.buffer as ArrayBuffer,
    ]);
  } catch (error) {
    parentPort!.postMessage({ id: message.id, error: (error as Error).message ?? String(error) });
  }
});
