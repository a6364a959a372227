export {
  type WalFaultStep,
  type WalRecord,
  type WalStats,
  type WalSyncPolicy,
  WriteAheadLog,
  type WriteAheadLogOptions,
} from './write-ahead-log.js';
