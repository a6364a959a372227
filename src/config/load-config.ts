import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { defaultConfig } from './default-config.js';
import type { QuiverConfig } from './quiver-config.js';

/** Where each setting may come from, lowest precedence first: defaults < file < environment < flags. */
export interface ConfigSources {
  /** Path of a YAML or JSON file (`--config`, or QUIVER_CONFIG). */
  configFile?: string;
  env?: NodeJS.ProcessEnv;
  flags?: Partial<Record<keyof QuiverConfig, string | number | boolean>>;
}

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

type Key = keyof QuiverConfig;
const numericKeys: ReadonlySet<Key> = new Set([
  'port',
  'metricsPort',
  'grpcMaxMessageBytes',
  'maxQueryResultWindow',
  'searchThreads',
]);
const booleanKeys: ReadonlySet<Key> = new Set(['autoLoad']);
const logLevels = new Set(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']);

/**
 * Environment names are QUIVER_ plus the key in SCREAMING_SNAKE_CASE (metricsPort →
 * QUIVER_METRICS_PORT). File keys accept camelCase, snake_case and kebab-case.
 */
export const envNames: Readonly<Record<Key, string>> = Object.freeze(
  Object.fromEntries(
    (Object.keys(defaultConfig) as Key[]).map((key) => [
      key,
      `QUIVER_${key.replace(/[A-Z]/g, (c) => `_${c}`).toUpperCase()}`,
    ]),
  ) as Record<Key, string>,
);

function normaliseKey(raw: string): Key | undefined {
  const camel = raw.replace(/[-_]([a-z])/g, (_, c: string) => c.toUpperCase());
  return camel in defaultConfig ? (camel as Key) : undefined;
}

function coerce(key: Key, value: unknown, origin: string): QuiverConfig[Key] {
  if (numericKeys.has(key)) {
    const n = typeof value === 'number' ? value : Number(String(value).trim());
    const max = key === 'grpcMaxMessageBytes' || key === 'maxQueryResultWindow' ? 2 ** 31 - 1 : 65535;
    if (!Number.isInteger(n) || n < 0 || n > max) {
      throw new ConfigError(
        `${origin}: ${key} must be an integer between 0 and ${max}, got ${JSON.stringify(value)}`,
      );
    }
    return n;
  }
  if (booleanKeys.has(key)) {
    if (value === true || value === false) return value;
    const text = String(value).trim().toLowerCase();
    if (['true', '1', 'yes', 'on'].includes(text)) return true;
    if (['false', '0', 'no', 'off'].includes(text)) return false;
    throw new ConfigError(`${origin}: ${key} must be true or false, got ${JSON.stringify(value)}`);
  }
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigError(`${origin}: ${key} must be a non-empty string, got ${JSON.stringify(value)}`);
  }
  if (key === 'walSync' && !['always', 'batch', 'none'].includes(value)) {
    throw new ConfigError(`${origin}: walSync must be one of always, batch, none, got "${value}"`);
  }
  if (key === 'logLevel' && !logLevels.has(value)) {
    throw new ConfigError(`${origin}: logLevel must be one of ${[...logLevels].join(', ')}, got "${value}"`);
  }
  return value;
}

/**
 * The YAML parser, loaded on first use: most starts have no config file, and loading the package
 * costs ~60 ms of a restart.
 */
function parseYaml(text: string): unknown {
  const yaml = createRequire(import.meta.url)('yaml') as { parse(text: string): unknown };
  return yaml.parse(text);
}

function readConfigFile(path: string): Partial<QuiverConfig> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read config file ${path}: ${(error as Error).message}`);
  }
  let parsed: unknown;
  try {
    parsed = path.endsWith('.json') ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    throw new ConfigError(
      `config file ${path} is not valid ${path.endsWith('.json') ? 'JSON' : 'YAML'}: ${(error as Error).message}`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`config file ${path} must hold a mapping of settings`);
  }
  const result: Partial<Record<Key, unknown>> = {};
  for (const [rawKey, value] of Object.entries(parsed)) {
    const key = normaliseKey(rawKey);
    if (!key) {
      throw new ConfigError(
        `config file ${path}: unknown setting "${rawKey}" (known: ${Object.keys(defaultConfig).join(', ')})`,
      );
    }
    result[key] = coerce(key, value, `config file ${path}`);
  }
  return result as Partial<QuiverConfig>;
}

export function loadConfig(sources: ConfigSources = {}): QuiverConfig {
  const env = sources.env ?? {};
  const config: Record<Key, unknown> = { ...defaultConfig };
  const file = sources.configFile ?? env.QUIVER_CONFIG;
  if (file) Object.assign(config, readConfigFile(file));
  for (const key of Object.keys(defaultConfig) as Key[]) {
    const value = env[envNames[key]];
    if (value !== undefined && value !== '') config[key] = coerce(key, value, `environment ${envNames[key]}`);
  }
  for (const [key, value] of Object.entries(sources.flags ?? {}) as Array<[Key, unknown]>) {
    if (value !== undefined)
      config[key] = coerce(key, value, `option --${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
  }
  return config as unknown as QuiverConfig;
}
