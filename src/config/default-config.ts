import { availableParallelism } from 'node:os';
import type { QuiverConfig } from './quiver-config.js';

export const defaultConfig: Readonly<QuiverConfig> = Object.freeze({
  host: '127.0.0.1',
  port: 19530,
  metricsPort: 9091,
  dataDir: './data',
  logLevel: 'info',
  walSync: 'always',
  maxQueryResultWindow: 16_384,
  grpcMaxMessageBytes: 512 * 1024 * 1024,
  autoLoad: false,
  searchThreads: availableParallelism(),
});
