import { cpus, release, totalmem } from 'node:os';

/** The machine a bench ran on, printed with every result so figures can be compared fairly. */
export function machineFacts() {
  const processors = cpus();
  return {
    cpuModel: processors[0]?.model ?? 'unknown',
    cores: processors.length,
    totalMemoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    platform: `${process.platform} ${release()}`,
  };
}
