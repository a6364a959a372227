import pino, { type DestinationStream, type Logger } from 'pino';
import { errors } from '../errors/index.js';
import { formatPrettyLine } from './format-pretty-line.js';

export type { Logger } from 'pino';

export interface LoggerOptions {
  /** pino level name: trace, debug, info, warn, error, fatal or silent. Defaults to 'info'. */
  level?: string;
  /** One human-readable line per record instead of JSON (see format-pretty-line.ts). */
  pretty?: boolean;
  /** A stream, or a file descriptor (1 = stdout, 2 = stderr). Defaults to stdout. */
  destination?: NodeJS.WritableStream | number;
}

const logLevels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/**
 * Creates the process logger: JSON lines (pino's format) so log shippers can parse them without
 * configuration. Modules take a child of it (`logger.child({ component: 'wal' })`) rather than
 * creating their own, so the level is set in one place. An unknown level throws a ParameterInvalid
 * QuiverError at start-up.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (!logLevels.includes(level)) {
    // pino's own message for this ("default level:x must be included in custom levels") misleads.
    throw errors.parameterInvalidValue(logLevels.join('|'), level, 'log level');
  }
  let destination: DestinationStream;
  if (options.destination === undefined || typeof options.destination === 'number') {
    // Synchronous writes: the records just before a crash reach the file or terminal. Quiver logs
    // little (requests only at debug), so the blocking cost is small against losing the last words.
    destination = pino.destination({ dest: options.destination ?? 1, sync: true });
  } else {
    destination = options.destination;
  }
  if (options.pretty) {
    const target = destination;
    destination = { write: (line: string) => target.write(formatPrettyLine(line)) };
  }
  return pino({ level }, destination);
}
