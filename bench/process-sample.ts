import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** Kernel clock ticks per second, the unit of utime/stime in /proc (almost always 100). */
export const clockTicksPerSecond = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** A point-in-time reading of one Linux process from /proc. */
export interface ProcessSample {
  /** CPU time of every thread of the process (user + system), ms; 10 ms resolution. */
  cpuMs: number;
  /** CPU time of the main thread only (the JavaScript event loop of a Node process), ms. */
  mainThreadCpuMs: number;
  /** Resident set size now, bytes (VmRSS). */
  rssBytes: number;
  /** Peak resident set size, bytes (VmHWM). */
  peakRssBytes: number;
  /** Anonymous resident memory (heap, array buffers), bytes (RssAnon). */
  rssAnonBytes: number;
  /** Bytes the process caused to be sent to the storage layer (/proc/PID/io write_bytes). */
  writeBytes: number;
}

function cpuMsFromStat(path: string): number {
  const text = readFileSync(path, 'utf8');
  // The command name (field 2) may contain spaces; fields after the closing parenthesis are fixed.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / clockTicksPerSecond;
}

function statusKiB(status: string, key: string): number {
  const match = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/** Reads /proc/PID/{stat,task/PID/stat,status,io}. Linux only. */
export function processSample(pid: number): ProcessSample {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  let writeBytes = 0;
  try {
    const io = readFileSync(`/proc/${pid}/io`, 'utf8');
    writeBytes = Number(/^write_bytes:\s+(\d+)/m.exec(io)?.[1] ?? 0);
  } catch {
    // /proc/PID/io can be unreadable in some containers; report 0 rather than fail the bench.
  }
  return {
    cpuMs: cpuMsFromStat(`/proc/${pid}/stat`),
    mainThreadCpuMs: cpuMsFromStat(`/proc/${pid}/task/${pid}/stat`),
    rssBytes: statusKiB(status, 'VmRSS') * 1024,
    peakRssBytes: statusKiB(status, 'VmHWM') * 1024,
    rssAnonBytes: statusKiB(status, 'RssAnon') * 1024,
    writeBytes,
  };
}
