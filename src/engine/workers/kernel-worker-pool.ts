import { Worker } from 'node:worker_threads';
import { DistanceKernels } from '../../kernels/distance/distance-kernels.js';
import type { KernelMemory } from '../../kernels/distance/kernel-memory.js';
import { type KernelTask, type KernelTaskResult, runKernelTask } from './kernel-task.js';

interface PendingTask {
  id: number;
  task: KernelTask;
  resolve: (result: never) => void;
  reject: (error: Error) => void;
  onProgress?: (done: number, total: number) => void;
}

interface PoolWorker {
  worker: Worker;
  running: PendingTask | undefined;
}

/**
 * worker_threads that run kernel tasks (scans, ANN searches, ANN builds) on a shared KernelMemory,
 * so a big search or an index build never blocks the event loop, and several segments (or row
 * ranges of one) are scanned in parallel. Tasks queue FIFO and go to the first idle worker. With
 * `threads` = 0 tasks run inline on the calling thread (for embedding and tests); results are
 * identical either way because every path runs runKernelTask.
 *
 * A worker that dies fails its running task with an error and is replaced; the pool keeps serving.
 */
export class KernelWorkerPool {
  private readonly workers: PoolWorker[] = [];
  private readonly queue: PendingTask[] = [];
  private nextId = 1;
  private closed = false;
  private inlineKernels: DistanceKernels | undefined;

  private constructor(
    private readonly memory: KernelMemory,
    readonly threads: number,
  ) {}

  /**
   * With `lazy`, a worker starts when a task first needs it rather than now: for pools that may never
   * be used (the index-build worker of a node without indexes), each idle worker being a V8 isolate
   * of its own (~10-15 MB) that also competes for the CPU while the node starts.
   */
  static start(memory: KernelMemory, threads: number, options: { lazy?: boolean } = {}): KernelWorkerPool {
    if (!Number.isInteger(threads) || threads < 0)
      throw new RangeError(`threads must be ≥ 0, got ${threads}`);
    const pool = new KernelWorkerPool(memory, threads);
    if (!options.lazy) for (let i = 0; i < threads; i++) pool.workers.push(pool.spawn());
    return pool;
  }

  /** Workers started so far (fewer than `threads` for a lazy pool that has not needed them all). */
  get startedWorkers(): number {
    return this.workers.length;
  }

  /** Tasks waiting for a worker plus tasks running. */
  get pendingTasks(): number {
    return this.queue.length + this.workers.filter((w) => w.running).length;
  }

  run<T extends KernelTask>(
    task: T,
    onProgress?: (done: number, total: number) => void,
  ): Promise<KernelTaskResult<T>> {
    if (this.closed) return Promise.reject(new Error('the kernel worker pool is closed'));
    if (this.threads === 0) {
      try {
        this.inlineKernels ??= DistanceKernels.load(this.memory);
        return Promise.resolve(runKernelTask(this.inlineKernels, task, onProgress) as KernelTaskResult<T>);
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        id: this.nextId++,
        task,
        resolve: resolve as (result: never) => void,
        reject,
        onProgress,
      });
      this.dispatch();
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const pending of this.queue.splice(0)) pending.reject(new Error('the kernel worker pool is closed'));
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
    this.workers.length = 0;
    this.inlineKernels?.dispose();
  }

  private spawn(): PoolWorker {
    const worker = new Worker(new URL('./kernel-worker.js', import.meta.url), {
      workerData: { memory: this.memory.memory },
    });
    const slot: PoolWorker = { worker, running: undefined };
    worker.unref();
    worker.on(
      'message',
      (message: {
        id: number;
        result?: unknown;
        error?: string;
        progress?: { done: number; total: number };
      }) => {
        const task = slot.running;
        if (!task || task.id !== message.id) return;
        if (message.progress) {
          task.onProgress?.(message.progress.done, message.progress.total);
          return;
        }
        slot.running = undefined;
        worker.unref();
        if (message.error !== undefined) task.reject(new Error(`kernel worker: ${message.error}`));
        else task.resolve(message.result as never);
        this.dispatch();
      },
    );
    worker.on('error', (error) => this.replace(slot, error));
    worker.on('exit', (code) => {
      if (!this.closed) this.replace(slot, new Error(`kernel worker exited with code ${code}`));
    });
    return slot;
  }

  private replace(slot: PoolWorker, error: Error): void {
    const index = this.workers.indexOf(slot);
    if (index < 0) return;
    slot.running?.reject(error);
    slot.running = undefined;
    void slot.worker.terminate();
    if (this.closed) {
      this.workers.splice(index, 1);
      return;
    }
    this.workers[index] = this.spawn();
    this.dispatch();
  }

  private dispatch(): void {
    // A lazy pool starts another worker when every started one is busy.
    while (
      this.workers.length < this.threads &&
      this.queue.length > this.workers.filter((slot) => !slot.running).length
    ) {
      this.workers.push(this.spawn());
    }
    for (const slot of this.workers) {
      if (slot.running) continue;
      const next = this.queue.shift();
      if (!next) return;
      slot.running = next;
      // Keep the process alive while a task is in flight, not while idle.
      slot.worker.ref();
      slot.worker.postMessage({ id: next.id, task: next.task });
    }
  }
}
