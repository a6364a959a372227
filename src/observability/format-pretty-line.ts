/** pino's numeric levels, as written in each JSON line. */
const levelNames: Record<number, string> = {
  10: 'TRACE',
  20: 'DEBUG',
  30: 'INFO',
  40: 'WARN',
  50: 'ERROR',
  60: 'FATAL',
};

/** Fields shown in the line prefix (or deliberately dropped) rather than in the trailing JSON. */
const prefixKeys = new Set(['time', 'level', 'msg', 'pid', 'hostname', 'err']);

/**
 * Turns one pino JSON line into `2024-01-02T03:04:05.678Z INFO  message {"extra":"fields"}`, with
 * an error's stack on the lines that follow. This is the whole of the "pretty" mode: it exists so
 * a developer can read a terminal without installing pino-pretty. Lines that are not JSON objects
 * pass through unchanged, so a formatting problem can never swallow a log record.
 */
export function formatPrettyLine(jsonLine: string): string {
  let record: unknown;
  try {
    record = JSON.parse(jsonLine);
  } catch {
    return jsonLine;
  }
  if (typeof record !== 'object' || record === null || Array.isArray(record)) return jsonLine;
  const fields = record as Record<string, unknown>;

  const time = typeof fields.time === 'number' ? new Date(fields.time).toISOString() : '-';
  const level = (typeof fields.level === 'number' && levelNames[fields.level]) || String(fields.level);
  const message = typeof fields.msg === 'string' ? fields.msg : '';

  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (!prefixKeys.has(key)) extra[key] = value;
  }
  let line = `${time} ${level.padEnd(5)} ${message}`;
  if (Object.keys(extra).length > 0) line += ` ${JSON.stringify(extra)}`;

  const error = fields.err as { stack?: unknown; message?: unknown } | undefined;
  if (error && typeof error === 'object') {
    const detail = typeof error.stack === 'string' ? error.stack : String(error.message);
    line += `\n    ${detail.split('\n').join('\n    ')}`;
  }
  return `${line}\n`;
}
