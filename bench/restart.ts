/**
 * Restart time and resident memory of a real `quiver serve` process holding N rows of
 * {id Int64 primary key, vector FloatVector dim D}:
 *  1. flushed: load N rows (raw pre-encoded gRPC Insert, 1,000 rows per request, 16 in flight),
 *     Flush (SDK flushSync), stop with SIGTERM, measure the data dir, then restart on the same dir;
 *  2. WAL only: the same with M rows and no Flush, so the restart replays every row from the WAL.
 *     M defaults to min(N, 999,000): the engine seals a growing segment at 1,000,000 rows, and a
 *     sealed segment would make it a partial replay.
 * For each restart: time from spawn to the startup log line; the engine's own load time (its
 * "storage engine ready" line); time from spawn to the first correct search (polled from the startup
 * line, 10 exact matches, which needs every row searchable: first as raw gRPC, the server's own
 * readiness, then through a new SDK client, whose set-up adds ~0.3 s of client work); time from spawn to the first correct answer (GetCollectionStatistics
 * row_count == N, by raw gRPC polling, then through a fresh SDK client); an SDK `get` of 10 known
 * ids (timed and checked if the server implements Query, else recorded as unavailable); and the
 * server's RSS (/proc/PID/status) against the raw vector bytes (rows x D x 4).
 *
 * Usage: npm run build && node dist/bench/restart.js [--rows=1000000] [--dim=128] [--wal-rows=999000]
 * (--rows and --wal-rows must be multiples of 1,000). The server is the one compiled into the same
 * output directory as this bench (test/helpers/start-built-quiver).
 * Prints one JSON object, then a table. Takes about 1-2 minutes with the defaults.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { encodeMessage } from '../src/api/grpc/codec/milvus-proto.js';
import { makeTempDataDir, type QuiverProcess, removeDir } from '../test/helpers/quiver-process.js';
import { rawMilvusCall } from '../test/helpers/raw-milvus-call.js';
import { startBuiltQuiver } from '../test/helpers/start-built-quiver.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';
import { processSample } from './process-sample.js';
import { FIRST_KEY, RawInsertChannel, ROWS_PER_REQUEST, requestVectors } from './raw-insert-channel.js';
import { round } from './round.js';

const COLLECTION = 'restart_bench';
const IN_FLIGHT = 16;
const ANSWER_TIMEOUT_MS = 120_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The official SDK with a timeout long enough for a flush of millions of rows. */
function connectClient(address: string): MilvusClient {
  return new MilvusClient({ address, logLevel: 'error', timeout: 600_000 });
}

/** Sum of file sizes under `dir`, by top-level entry (wal, collections, meta, ...). */
async function diskUsage(dir: string): Promise<{ totalBytes: number; byEntry: Record<string, number> }> {
  const sizeOf = async (path: string): Promise<number> => {
    const info = await stat(path);
    if (!info.isDirectory()) return info.size;
    let total = 0;
    for (const entry of await readdir(path)) total += await sizeOf(join(path, entry));
    return total;
  };
  const byEntry: Record<string, number> = {};
  let totalBytes = 0;
  for (const entry of await readdir(dir)) {
    byEntry[entry] = await sizeOf(join(dir, entry));
    totalBytes += byEntry[entry];
  }
  return { totalBytes, byEntry };
}

async function load(server: QuiverProcess, client: MilvusClient, rows: number, dim: number) {
  const created = await client.createCollection({
    collection_name: COLLECTION,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
      { name: 'vector', data_type: DataType.FloatVector, dim },
    ],
  });
  if (created.error_code !== 'Success') throw new Error(`createCollection failed: ${created.reason}`);
  // Milvus semantics: reads need a loaded collection; the load state survives the restart.
  const loaded = await client.loadCollection({ collection_name: COLLECTION });
  if (loaded.error_code !== 'Success') throw new Error(`loadCollection failed: ${loaded.reason}`);
  const channel = new RawInsertChannel(server.address, COLLECTION, dim, IN_FLIGHT);
  const requests = rows / ROWS_PER_REQUEST;
  let next = 0;
  const startedAt = performance.now();
  try {
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async (_, slot) => {
        while (next < requests) {
          const request = next++;
          await channel.insert(slot, FIRST_KEY + request * ROWS_PER_REQUEST);
        }
      }),
    );
  } finally {
    channel.close();
  }
  const seconds = (performance.now() - startedAt) / 1000;
  return { seconds: round(seconds, 2), rowsPerSecond: Math.round(rows / seconds) };
}

async function rawRowCount(address: string): Promise<number> {
  const response = await rawMilvusCall<{
    status: { code: number; reason: string };
    stats: Array<{ key: string; value: string }>;
  }>(address, 'GetCollectionStatistics', { collection_name: COLLECTION });
  if (response.status.code !== 0) throw new Error(response.status.reason);
  return Number(response.stats.find((s) => s.key === 'row_count')?.value);
}

/** Polls until `check` returns true; resolves with the time it first did, relative to `fromMs`. */
async function firstSuccessMs(fromMs: number, check: () => Promise<boolean>): Promise<number> {
  const deadline = performance.now() + ANSWER_TIMEOUT_MS;
  let lastError: unknown;
  while (performance.now() < deadline) {
    try {
      if (await check()) return performance.now() - fromMs;
    } catch (error) {
      lastError = error;
    }
    await sleep(2);
  }
  throw new Error(`no correct answer within ${ANSWER_TIMEOUT_MS} ms: ${String(lastError)}`);
}

/** Ten keys spread over the loaded range, with the vectors they were inserted with. */
function knownRows(rows: number, dim: number) {
  const vectors = requestVectors(dim);
  return Array.from({ length: 10 }, (_, i) => {
    const offset = Math.floor((i * (rows - 1)) / 9);
    const row = offset % ROWS_PER_REQUEST;
    return { id: FIRST_KEY + offset, vector: Array.from(vectors.subarray(row * dim, (row + 1) * dim)) };
  });
}

async function timedGet(client: MilvusClient, address: string, rows: number, dim: number, fromMs: number) {
  const expected = knownRows(rows, dim);
  const startedAt = performance.now();
  try {
    const result = await client.get({
      collection_name: COLLECTION,
      ids: expected.map((row) => String(row.id)),
      output_fields: ['id', 'vector'],
    });
    const ms = performance.now() - startedAt;
    if (result.status.error_code !== 'Success') {
      return { available: false, reason: `${result.status.error_code}: ${result.status.reason}` };
    }
    const byId = new Map(result.data.map((row) => [String(row.id), row.vector as number[]]));
    const correct = expected.every((row) => {
      const vector = byId.get(String(row.id));
      return vector !== undefined && vector.length === dim && vector.every((v, i) => v === row.vector[i]);
    });
    return {
      available: true,
      correct,
      returnedRows: result.data.length,
      getMs: round(ms, 1),
      spawnToGetDoneMs: round(performance.now() - fromMs, 1),
    };
  } catch (error) {
    return {
      available: false,
      reason: (error as Error).message.split('\n')[0],
      serverAnswer: await rawQueryAnswer(
        address,
        expected.map((row) => row.id),
      ),
    };
  }
}

/** What the server itself answers to the Query behind `get`, when the SDK call failed. */
async function rawQueryAnswer(address: string, ids: readonly number[]): Promise<string> {
  try {
    const response = await rawMilvusCall<{ status: { code: number; reason: string } }>(address, 'Query', {
      collection_name: COLLECTION,
      expr: `id in [${ids.join(',')}]`,
      output_fields: ['id', 'vector'],
    });
    return `status ${response.status.code}: ${response.status.reason}`;
  } catch (error) {
    const grpcError = error as { code?: number; details?: string };
    return `gRPC status ${grpcError.code}: ${grpcError.details}`;
  }
}

/**
 * A search that can only be right once every row is searchable: the vectors repeat every 1,000 rows
 * (raw-insert-channel), so a query equal to row `row`'s vector has exactly rows / 1000 exact matches
 * (distance 0), the keys FIRST_KEY + row + 1000 j. Right means: 10 hits, all at distance 0, all such keys.
 */
async function searchIsCorrect(client: MilvusClient, rows: number, dim: number): Promise<boolean> {
  const row = 7;
  const vectors = requestVectors(dim);
  const result = await client.search({
    collection_name: COLLECTION,
    data: [Array.from(vectors.subarray(row * dim, (row + 1) * dim))],
    limit: 10,
    output_fields: ['id'],
  });
  if (result.status.error_code !== 'Success')
    throw new Error(`${result.status.error_code}: ${result.status.reason}`);
  const hits = result.results as Array<{ id: string; score: number }>;
  return (
    rows >= 10 * ROWS_PER_REQUEST &&
    hits.length === 10 &&
    hits.every((hit) => hit.score === 0 && (Number(hit.id) - FIRST_KEY) % ROWS_PER_REQUEST === row)
  );
}

/** The same search as raw gRPC (no SDK client set-up: proto parsing, connect, describeCollection). */
async function rawSearchIsCorrect(address: string, rows: number, dim: number): Promise<boolean> {
  const row = 7;
  const query = requestVectors(dim).slice(row * dim, (row + 1) * dim);
  const placeholder = encodeMessage('milvus.proto.common.PlaceholderGroup', {
    placeholders: [{ tag: '$0', type: 'FloatVector', values: [Buffer.from(query.buffer)] }],
  });
  const response = await rawMilvusCall<{
    status: { code: number; reason: string };
    results: { ids: { int_id: { data: Array<string | number> } }; scores: number[] };
  }>(address, 'Search', {
    collection_name: COLLECTION,
    placeholder_group: Buffer.from(placeholder),
    nq: 1,
    search_params: [
      { key: 'topk', value: '10' },
      { key: 'metric_type', value: 'L2' },
      { key: 'anns_field', value: 'vector' },
    ],
  });
  if (response.status.code !== 0) throw new Error(response.status.reason);
  const ids = response.results.ids.int_id.data.map(Number);
  return (
    rows >= 10 * ROWS_PER_REQUEST &&
    ids.length === 10 &&
    response.results.scores.every((score) => score === 0) &&
    ids.every((id) => (id - FIRST_KEY) % ROWS_PER_REQUEST === row)
  );
}

/** Restarts the server on `dataDir` and measures the way back to correct answers. */
async function measureRestart(dataDir: string, rows: number, dim: number) {
  const spawnedAt = performance.now();
  const server = await startBuiltQuiver({ dataDir, startupTimeoutMs: ANSWER_TIMEOUT_MS });
  const startupLineMs = performance.now() - spawnedAt;
  try {
    const rawSearchMs = await firstSuccessMs(spawnedAt, () => rawSearchIsCorrect(server.address, rows, dim));
    const searchClient = connectClient(server.address);
    let searchMs: number;
    try {
      searchMs = await firstSuccessMs(spawnedAt, () => searchIsCorrect(searchClient, rows, dim));
    } finally {
      await searchClient.closeConnection();
    }
    const rssAtFirstSearch = processSample(server.child.pid!);
    const rawStatsMs = await firstSuccessMs(
      spawnedAt,
      async () => (await rawRowCount(server.address)) === rows,
    );
    const rssAtFirstAnswer = processSample(server.child.pid!);
    const client = connectClient(server.address);
    let sdkStatsMs: number;
    let get: Awaited<ReturnType<typeof timedGet>>;
    try {
      sdkStatsMs = await firstSuccessMs(spawnedAt, async () => {
        const stats = await client.getCollectionStatistics({ collection_name: COLLECTION });
        return Number(stats.data.row_count) === rows;
      });
      get = await timedGet(client, server.address, rows, dim, spawnedAt);
    } finally {
      await client.closeConnection();
    }
    await sleep(2000);
    const settled = processSample(server.child.pid!);
    const engineLine = server.logLines
      .map((line) => {
        try {
          return JSON.parse(line) as { msg?: string; ms?: number; replayedRecords?: number };
        } catch {
          return {};
        }
      })
      .find((record) => record.msg === 'storage engine ready');
    const rawVectorBytes = rows * dim * 4;
    return {
      spawnToStartupLineMs: round(startupLineMs, 1),
      spawnToCorrectSearchRawMs: round(rawSearchMs, 1),
      spawnToCorrectSearchSdkMs: round(searchMs, 1),
      rssAtFirstSearchBytes: rssAtFirstSearch.rssBytes,
      engineLoadMs: engineLine?.ms,
      walRecordsReplayed: engineLine?.replayedRecords,
      spawnToCorrectRowCountRawMs: round(rawStatsMs, 1),
      spawnToCorrectRowCountSdkMs: round(sdkStatsMs, 1),
      get,
      rawVectorBytes,
      rssAtFirstAnswerBytes: rssAtFirstAnswer.rssBytes,
      rssAfter2sBytes: settled.rssBytes,
      rssAnonAfter2sBytes: settled.rssAnonBytes,
      peakRssBytes: settled.peakRssBytes,
      rssToRawVectorRatio: round(settled.rssBytes / rawVectorBytes, 2),
      peakRssToRawVectorRatio: round(settled.peakRssBytes / rawVectorBytes, 2),
    };
  } finally {
    await server.stop();
  }
}

async function scenario(kind: 'flushed' | 'wal-only', rows: number, dim: number) {
  if (rows <= 0 || rows % ROWS_PER_REQUEST !== 0) throw new Error(`rows must be a positive multiple of 1000`);
  const dataDir = await makeTempDataDir('quiver-restart-bench-');
  try {
    const server = await startBuiltQuiver({ dataDir });
    const emptyServerRssBytes = processSample(server.child.pid!).rssBytes;
    const client = connectClient(server.address);
    let loaded: Awaited<ReturnType<typeof load>>;
    let flushMs: number | undefined;
    let loadedPeakRssBytes: number;
    try {
      loaded = await load(server, client, rows, dim);
      if (kind === 'flushed') {
        const startedAt = performance.now();
        await client.flushSync({ collection_names: [COLLECTION] });
        flushMs = round(performance.now() - startedAt, 1);
      }
      const stats = await client.getCollectionStatistics({ collection_name: COLLECTION });
      if (Number(stats.data.row_count) !== rows) {
        throw new Error(`loaded ${rows} rows but row_count is ${stats.data.row_count}`);
      }
      loadedPeakRssBytes = processSample(server.child.pid!).peakRssBytes;
    } finally {
      await client.closeConnection();
    }
    const stopStartedAt = performance.now();
    const exitCode = await server.stop();
    const stopMs = round(performance.now() - stopStartedAt, 1);
    if (exitCode !== 0) throw new Error(`server exited with ${exitCode} on SIGTERM`);
    const disk = await diskUsage(dataDir);
    const restart = await measureRestart(dataDir, rows, dim);
    return {
      scenario: kind,
      rows,
      dim,
      loadSeconds: loaded.seconds,
      loadRowsPerSecond: loaded.rowsPerSecond,
      flushMs,
      emptyServerRssBytes,
      loadPhasePeakRssBytes: loadedPeakRssBytes,
      sigtermStopMs: stopMs,
      dataDirBytes: disk.totalBytes,
      dataDirBytesByEntry: disk.byEntry,
      dataDirToRawVectorRatio: round(disk.totalBytes / (rows * dim * 4), 3),
      restart,
    };
  } finally {
    await removeDir(dataDir);
  }
}

const rows = Number(argument('rows', '1000000'));
const dim = Number(argument('dim', '128'));
const walRows = Number(argument('wal-rows', String(Math.min(rows, 999_000))));

const results = [await scenario('flushed', rows, dim), await scenario('wal-only', walRows, dim)];

console.log(
  JSON.stringify({
    bench: 'restart',
    walSync: 'always',
    rowsPerRequest: ROWS_PER_REQUEST,
    loadInFlight: IN_FLIGHT,
    machine: machineFacts(),
    results,
  }),
);
const mib = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
console.log(
  formatTable(
    [
      'scenario',
      'rows',
      'dim',
      'load rows/s',
      'flush ms',
      'data dir MiB',
      'startup line ms',
      'engine load ms',
      'WAL records',
      'first correct search ms (raw)',
      'first correct search ms (SDK)',
      'row_count ok ms (raw)',
      'row_count ok ms (SDK)',
      'SDK get of 10 ids (spawn to done)',
      'RSS MiB',
      'RSS / raw vectors',
      'peak RSS MiB',
    ],
    results.map((r) => [
      r.scenario,
      String(r.rows),
      String(r.dim),
      String(r.loadRowsPerSecond),
      r.flushMs === undefined ? '-' : r.flushMs.toFixed(0),
      mib(r.dataDirBytes),
      r.restart.spawnToStartupLineMs.toFixed(0),
      String(r.restart.engineLoadMs ?? '?'),
      String(r.restart.walRecordsReplayed ?? '?'),
      r.restart.spawnToCorrectSearchRawMs.toFixed(0),
      r.restart.spawnToCorrectSearchSdkMs.toFixed(0),
      r.restart.spawnToCorrectRowCountRawMs.toFixed(0),
      r.restart.spawnToCorrectRowCountSdkMs.toFixed(0),
      r.restart.get.available
        ? `${r.restart.get.correct ? 'ok' : 'WRONG'} ${r.restart.get.returnedRows}/10 rows at ${r.restart.get.spawnToGetDoneMs?.toFixed(0)} ms`
        : 'unavailable',
      mib(r.restart.rssAfter2sBytes),
      r.restart.rssToRawVectorRatio.toFixed(2),
      mib(r.restart.peakRssBytes),
    ]),
  ),
);
for (const r of results) {
  const get = r.restart.get;
  if (!get.available) {
    console.log(
      `${r.scenario}: SDK get unavailable: ${get.reason}; the server answers Query with ${get.serverAnswer}`,
    );
  }
}
