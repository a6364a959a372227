/**
 * Runs async tasks one at a time, in arrival order. Used where a check-then-commit sequence must
 * not interleave with another (catalog DDL, snapshot writes).
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T> | T): Promise<T> {
    const result = this.tail.then(task, task);
    // The queue continues whether the task succeeded or failed.
    this.tail = result.catch(() => undefined);
    return result;
  }
}
