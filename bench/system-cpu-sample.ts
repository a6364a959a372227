import { readFileSync } from 'node:fs';
import { clockTicksPerSecond } from './process-sample.js';

/** Machine-wide CPU time from /proc/stat (all processes, all cores), in ms. Linux only. */
export interface SystemCpuSample {
  /** user + nice + system + irq + softirq + steal. */
  busyMs: number;
  /** Time cores sat idle with I/O outstanding. */
  iowaitMs: number;
}

export function systemCpuSample(): SystemCpuSample {
  const line = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]!;
  const [user, nice, system, , iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
  const toMs = (ticks: number) => (ticks * 1000) / clockTicksPerSecond;
  return {
    busyMs: toMs(user! + nice! + system! + irq! + softirq! + (steal ?? 0)),
    iowaitMs: toMs(iowait!),
  };
}
