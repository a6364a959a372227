export { createLogger, type Logger, type LoggerOptions } from './logger.js';
export { Metrics, rpcLatencyBucketsSeconds } from './metrics.js';
export {
  normaliseRpcStatusLabel,
  type RpcStatusLabel,
  rpcStatusLabel,
  rpcStatusLabelForCode,
  successStatusLabel,
} from './rpc-status-label.js';
