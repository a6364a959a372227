import { errors, type QuiverError } from '../../errors/index.js';

/** The error for damaged WAL data that must not be replayed or silently dropped. */
export function walCorruptionError(path: string, offset: number, reason: string): QuiverError {
  return errors.ioFailed(`write-ahead log file ${path} is corrupt at offset ${offset}: ${reason}`);
}
