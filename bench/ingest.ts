/**
 * Durable ingest throughput against a real `quiver serve` process (WAL sync 'always', the default):
 * a collection {id Int64 primary key, vector FloatVector dim D}, batches of 1,000 rows, D = 128 and 768.
 *  - sdk: the official Node SDK (`client.insert` with row objects), 1, 4 and 16 requests in flight
 *    from one MilvusClient;
 *  - raw: InsertRequests encoded once and sent as raw @grpc/grpc-js unary calls on one channel
 *    (only the primary keys are rewritten per request), 1, 4, 16 and 64 in flight: the server's
 *    capacity without the SDK's client-side cost.
 * Every request carries fresh primary keys. Each case runs a warm-up, then a timed window: rows/s and
 * MB/s of vector payload (rows x D x 4 bytes, 1 MB = 10^6 bytes) count requests acknowledged inside
 * the window; latency percentiles are over those requests. Machine-wide CPU (/proc/stat) is recorded
 * too, because the machine may be shared: "other procs" is what neither this bench nor the server used. CPU per 1,000-row batch is measured for
 * the client (this process, process.cpuUsage, minus its idle rate) and for the server (/proc), since
 * on a small machine both share the cores. After each case the collection's row_count must equal
 * every row sent (warm-up included), or the bench fails.
 *
 * Usage: npm run build && node dist/bench/ingest.js
 *          [--duration-ms=5000] [--warmup-ms=1000] [--min-requests=8] [--dims=128,768]
 *          [--sdk-in-flight=1,4,16] [--raw-in-flight=1,4,16,64]
 * The timed window opens after the warm-up once every in-flight loop has had a request acknowledged,
 * and lasts at least --duration-ms and --min-requests acknowledged requests (slow SDK cases at 768-d
 * run longer than --duration-ms).
 * Prints one JSON object, then a table. Takes about 2 minutes with the defaults.
 */
import { DataType, MilvusClient } from '@zilliz/milvus2-sdk-node';
import { type QuiverProcess, removeDir } from '../test/helpers/quiver-process.js';
import { startBuiltQuiver } from '../test/helpers/start-built-quiver.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';
import { type ProcessSample, processSample } from './process-sample.js';
import { FIRST_KEY, RawInsertChannel, ROWS_PER_REQUEST, requestVectors } from './raw-insert-channel.js';
import { round } from './round.js';
import { type SystemCpuSample, systemCpuSample } from './system-cpu-sample.js';

type ClientKind = 'sdk' | 'raw';

interface CaseResult {
  client: ClientKind;
  dim: number;
  inFlight: number;
  /** Requests acknowledged inside the timed window. */
  timedRequests: number;
  timedSeconds: number;
  rowsPerSecond: number;
  vectorMegabytesPerSecond: number;
  latencyMs: { p50: number; p99: number; mean: number; max: number };
  /** Client process CPU (all threads, minus its idle rate) per 1,000-row request, ms. */
  clientCpuMsPerBatch: number;
  /** Server process CPU (all threads: event loop, libuv pool doing fsync and file I/O, GC) per request, ms. */
  serverCpuMsPerBatch: number;
  /** Server main-thread (event loop) CPU per request, ms: the part that cannot spread over cores. */
  serverMainThreadCpuMsPerBatch: number;
  /** Fractions of one core used during the window. */
  clientCores: number;
  serverCores: number;
  serverMainThreadCores: number;
  /** Cores busy machine-wide (/proc/stat), and the part neither this bench nor the server used. */
  machineBusyCores: number;
  otherProcessesCores: number;
  /** Cores idle while waiting for I/O, machine-wide. */
  machineIowaitCores: number;
  /** Bytes the server wrote to storage per row (WAL frames, any sealed segment). */
  serverWriteBytesPerRow: number;
  /** Every row sent in the case (warm-up included) and the server's row_count afterwards. */
  rowsSent: number;
  rowCount: number;
}

function numbers(text: string): number[] {
  return text.split(',').map(Number);
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function rowCount(client: MilvusClient, collection_name: string): Promise<number> {
  const stats = await client.getCollectionStatistics({ collection_name });
  if (stats.status.error_code !== 'Success') throw new Error(`statistics failed: ${stats.status.reason}`);
  return Number(stats.data.row_count);
}

async function createCollection(client: MilvusClient, name: string, dim: number): Promise<void> {
  const status = await client.createCollection({
    collection_name: name,
    fields: [
      { name: 'id', data_type: DataType.Int64, is_primary_key: true, autoID: false },
      { name: 'vector', data_type: DataType.FloatVector, dim },
    ],
  });
  if (status.error_code !== 'Success') throw new Error(`createCollection failed: ${status.reason}`);
}

interface Snapshot {
  atMs: number;
  clientCpuMs: number;
  server: ProcessSample;
  machine: SystemCpuSample;
}

/**
 * Runs `inFlight` loops calling `send(worker, firstKey)`. The timed window opens once the warm-up
 * time has passed and every loop has had a request acknowledged (steady state), and closes once
 * `durationMs` has passed and at least `minRequests` requests were acknowledged inside it; CPU is
 * sampled at both edges. Latencies are those of the requests acknowledged inside the window.
 */
async function drive(
  server: QuiverProcess,
  inFlight: number,
  warmupMs: number,
  durationMs: number,
  minRequests: number,
  send: (worker: number, firstKey: number) => Promise<void>,
) {
  const serverPid = server.child.pid!;
  const snapshot = (): Snapshot => {
    const usage = process.cpuUsage();
    return {
      atMs: performance.now(),
      clientCpuMs: (usage.user + usage.system) / 1000,
      server: processSample(serverPid),
      machine: systemCpuSample(),
    };
  };
  let nextKey = FIRST_KEY;
  let warmupElapsed = false;
  let durationElapsed = false;
  let endTimer: NodeJS.Timeout | undefined;
  let windowStart: Snapshot | undefined;
  let windowEnd: Snapshot | undefined;
  const acknowledgedBefore = new Set<number>();
  const latencies: number[] = [];
  const maybeEnd = () => {
    if (windowStart && !windowEnd && durationElapsed && latencies.length >= minRequests) {
      windowEnd = snapshot();
    }
  };
  const maybeStart = () => {
    if (windowStart || !warmupElapsed || acknowledgedBefore.size < inFlight) return;
    windowStart = snapshot();
    endTimer = setTimeout(() => {
      durationElapsed = true;
      maybeEnd();
    }, durationMs);
  };
  const warmupTimer = setTimeout(() => {
    warmupElapsed = true;
    maybeStart();
  }, warmupMs);
  try {
    await Promise.all(
      Array.from({ length: inFlight }, async (_, worker) => {
        while (!windowEnd) {
          const firstKey = nextKey;
          nextKey += ROWS_PER_REQUEST;
          const sentAt = performance.now();
          await send(worker, firstKey);
          if (windowStart && !windowEnd) latencies.push(performance.now() - sentAt);
          acknowledgedBefore.add(worker);
          maybeStart();
          maybeEnd();
        }
      }),
    );
  } finally {
    clearTimeout(warmupTimer);
    clearTimeout(endTimer);
  }
  return { windowStart: windowStart!, windowEnd: windowEnd!, latencies, rowsSent: nextKey - FIRST_KEY };
}

async function runCase(
  kind: ClientKind,
  server: QuiverProcess,
  client: MilvusClient,
  dim: number,
  inFlight: number,
  warmupMs: number,
  durationMs: number,
  minRequests: number,
  idleClientCpuMsPerSecond: number,
): Promise<CaseResult> {
  const name = `ingest_${kind}_${dim}_${inFlight}`;
  await createCollection(client, name, dim);
  let send: (worker: number, firstKey: number) => Promise<void>;
  let close = () => {};
  if (kind === 'sdk') {
    const vectors = requestVectors(dim);
    const shared = Array.from({ length: ROWS_PER_REQUEST }, (_, row) =>
      Array.from(vectors.subarray(row * dim, (row + 1) * dim)),
    );
    // One row array per worker: the SDK reads it while building the request.
    const rowsOf = Array.from({ length: inFlight }, () =>
      shared.map((vector) => ({ id: 0, vector: vector as number[] })),
    );
    send = async (worker, firstKey) => {
      const rows = rowsOf[worker]!;
      for (let i = 0; i < rows.length; i++) rows[i]!.id = firstKey + i;
      const result = await client.insert({ collection_name: name, data: rows });
      if (result.status.error_code !== 'Success') throw new Error(`insert failed: ${result.status.reason}`);
      if (Number(result.insert_cnt) !== ROWS_PER_REQUEST) throw new Error(`inserted ${result.insert_cnt}`);
    };
  } else {
    const channel = new RawInsertChannel(server.address, name, dim, inFlight);
    send = (worker, firstKey) => channel.insert(worker, firstKey);
    close = () => channel.close();
  }
  try {
    const { windowStart, windowEnd, latencies, rowsSent } = await drive(
      server,
      inFlight,
      warmupMs,
      durationMs,
      minRequests,
      send,
    );
    const count = await rowCount(client, name);
    if (count !== rowsSent) throw new Error(`${name}: sent ${rowsSent} rows but row_count is ${count}`);
    const windowMs = windowEnd.atMs - windowStart.atMs;
    const requests = latencies.length;
    const measured = [...latencies].sort((a, b) => a - b);
    const clientCpuMs =
      windowEnd.clientCpuMs - windowStart.clientCpuMs - idleClientCpuMsPerSecond * (windowMs / 1000);
    const serverCpuMs = windowEnd.server.cpuMs - windowStart.server.cpuMs;
    const serverMainMs = windowEnd.server.mainThreadCpuMs - windowStart.server.mainThreadCpuMs;
    const machineBusyMs = windowEnd.machine.busyMs - windowStart.machine.busyMs;
    const machineIowaitMs = windowEnd.machine.iowaitMs - windowStart.machine.iowaitMs;
    const clientAllMs = windowEnd.clientCpuMs - windowStart.clientCpuMs;
    const rowsPerSecond = (requests * ROWS_PER_REQUEST) / (windowMs / 1000);
    return {
      client: kind,
      dim,
      inFlight,
      timedRequests: requests,
      timedSeconds: round(windowMs / 1000, 3),
      rowsPerSecond: Math.round(rowsPerSecond),
      vectorMegabytesPerSecond: round((rowsPerSecond * dim * 4) / 1e6, 1),
      latencyMs: {
        p50: round(percentile(measured, 0.5), 2),
        p99: round(percentile(measured, 0.99), 2),
        mean: round(measured.reduce((sum, value) => sum + value, 0) / Math.max(measured.length, 1), 2),
        max: round(measured.at(-1) ?? 0, 2),
      },
      clientCpuMsPerBatch: round(Math.max(clientCpuMs, 0) / requests, 2),
      serverCpuMsPerBatch: round(serverCpuMs / requests, 2),
      serverMainThreadCpuMsPerBatch: round(serverMainMs / requests, 2),
      clientCores: round(Math.max(clientCpuMs, 0) / windowMs, 2),
      serverCores: round(serverCpuMs / windowMs, 2),
      serverMainThreadCores: round(serverMainMs / windowMs, 2),
      machineBusyCores: round(machineBusyMs / windowMs, 2),
      otherProcessesCores: round(Math.max(0, machineBusyMs - clientAllMs - serverCpuMs) / windowMs, 2),
      machineIowaitCores: round(machineIowaitMs / windowMs, 2),
      serverWriteBytesPerRow: Math.round(
        (windowEnd.server.writeBytes - windowStart.server.writeBytes) / (requests * ROWS_PER_REQUEST),
      ),
      rowsSent,
      rowCount: count,
    };
  } finally {
    close();
    await client.dropCollection({ collection_name: name });
  }
}

/** What limits SDK ingest at one dimension: the ceilings implied by the measured CPU per batch. */
function sdkVerdict(results: readonly CaseResult[], dim: number, cores: number, targetRowsPerSecond: number) {
  const sdk = results.filter((r) => r.client === 'sdk' && r.dim === dim);
  const raw = results.filter((r) => r.client === 'raw' && r.dim === dim);
  if (sdk.length === 0) return undefined;
  const best = sdk.reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a));
  const bestRaw =
    raw.length > 0 ? raw.reduce((a, b) => (b.rowsPerSecond > a.rowsPerSecond ? b : a)) : undefined;
  const perSecond = (msPerBatch: number) => Math.round((1000 / msPerBatch) * ROWS_PER_REQUEST);
  // The SDK builds and encodes each request on the client's event loop, and the server decodes and
  // applies it on its own: each is capped at one core, and together they share `cores`.
  const ceilings = {
    clientEventLoop: perSecond(best.clientCpuMsPerBatch),
    serverEventLoop: perSecond(best.serverMainThreadCpuMsPerBatch),
    sharedCores: perSecond((best.clientCpuMsPerBatch + best.serverCpuMsPerBatch) / cores),
  };
  const [boundBy] = Object.entries(ceilings).sort((a, b) => a[1] - b[1])[0]!;
  // The raw client pays only for the transport; the rest of the SDK's cost is its own request building.
  const transport = raw.find((r) => r.inFlight === best.inFlight) ?? raw[0];
  return {
    dim,
    targetRowsPerSecond,
    bestSdkRowsPerSecond: best.rowsPerSecond,
    bestSdkInFlight: best.inFlight,
    meetsTarget: best.rowsPerSecond >= targetRowsPerSecond,
    bestRawRowsPerSecond: bestRaw?.rowsPerSecond,
    clientCpuMsPerBatch: best.clientCpuMsPerBatch,
    rawClientCpuMsPerBatch: transport?.clientCpuMsPerBatch,
    serverCpuMsPerBatch: best.serverCpuMsPerBatch,
    otherProcessesCores: best.otherProcessesCores,
    clientShareOfCpuPerBatch: round(
      best.clientCpuMsPerBatch / (best.clientCpuMsPerBatch + best.serverCpuMsPerBatch),
      2,
    ),
    ceilingsRowsPerSecond: ceilings,
    boundBy,
  };
}

const durationMs = Number(argument('duration-ms', '5000'));
const warmupMs = Number(argument('warmup-ms', '1000'));
const minRequests = Number(argument('min-requests', '8'));
const dims = numbers(argument('dims', '128,768'));
const sdkInFlight = numbers(argument('sdk-in-flight', '1,4,16'));
const rawInFlight = numbers(argument('raw-in-flight', '1,4,16,64'));
const machine = machineFacts();

const server = await startBuiltQuiver();
// A long timeout: at 768-d with 16 in flight, SDK requests queue for many seconds on the client.
const client = new MilvusClient({ address: server.address, logLevel: 'error', timeout: 300_000 });
const results: CaseResult[] = [];
let idleCpu = 0;
try {
  await client.listCollections(); // connect before calibrating
  const idleStart = process.cpuUsage();
  const idleStartedAt = performance.now();
  await sleep(1000);
  const idle = process.cpuUsage(idleStart);
  idleCpu = (idle.user + idle.system) / 1000 / ((performance.now() - idleStartedAt) / 1000);
  for (const dim of dims) {
    for (const inFlight of sdkInFlight) {
      results.push(
        await runCase('sdk', server, client, dim, inFlight, warmupMs, durationMs, minRequests, idleCpu),
      );
    }
    for (const inFlight of rawInFlight) {
      results.push(
        await runCase('raw', server, client, dim, inFlight, warmupMs, durationMs, minRequests, idleCpu),
      );
    }
  }
} finally {
  await client.closeConnection();
  await server.stop();
  await removeDir(server.dataDir);
}

const verdicts = dims.map((dim) => sdkVerdict(results, dim, machine.cores, 50_000)).filter(Boolean);
console.log(
  JSON.stringify({
    bench: 'ingest',
    walSync: 'always',
    rowsPerRequest: ROWS_PER_REQUEST,
    warmupMs,
    durationMs,
    machine,
    idleClientCpuMsPerSecond: round(idleCpu, 2),
    minRequests,
    results,
    sdkVerdicts: verdicts,
  }),
);
console.log(
  formatTable(
    [
      'client',
      'dim',
      'in flight',
      'rows/s',
      'vector MB/s',
      'p50 ms',
      'p99 ms',
      'client CPU ms/batch',
      'server CPU ms/batch',
      'server loop ms/batch',
      'client cores',
      'server cores',
      'machine busy cores',
      'other procs cores',
      'timed reqs',
      'rows verified',
    ],
    results.map((r) => [
      r.client,
      String(r.dim),
      String(r.inFlight),
      String(r.rowsPerSecond),
      r.vectorMegabytesPerSecond.toFixed(1),
      r.latencyMs.p50.toFixed(2),
      r.latencyMs.p99.toFixed(2),
      r.clientCpuMsPerBatch.toFixed(2),
      r.serverCpuMsPerBatch.toFixed(2),
      r.serverMainThreadCpuMsPerBatch.toFixed(2),
      r.clientCores.toFixed(2),
      r.serverCores.toFixed(2),
      r.machineBusyCores.toFixed(2),
      r.otherProcessesCores.toFixed(2),
      String(r.timedRequests),
      String(r.rowCount),
    ]),
  ),
);
for (const verdict of verdicts) {
  if (!verdict) continue;
  const c = verdict.ceilingsRowsPerSecond;
  console.log(
    `\nSDK at ${verdict.dim}-d: best ${verdict.bestSdkRowsPerSecond} rows/s (${verdict.bestSdkInFlight} in flight), ` +
      `target ${verdict.targetRowsPerSecond}: ${verdict.meetsTarget ? 'met' : 'NOT met'}. ` +
      `Raw gRPC best: ${verdict.bestRawRowsPerSecond} rows/s.\n` +
      `  CPU per 1,000-row batch: SDK client ${verdict.clientCpuMsPerBatch} ms (a raw gRPC client: ` +
      `${verdict.rawClientCpuMsPerBatch} ms), server ${verdict.serverCpuMsPerBatch} ms ` +
      `(client ${Math.round(verdict.clientShareOfCpuPerBatch * 100)}% of the total); ` +
      `other processes used ${verdict.otherProcessesCores} cores meanwhile.\n` +
      `  Ceilings (rows/s): client event loop ${c.clientEventLoop}, server event loop ${c.serverEventLoop}, ` +
      `${machine.cores} shared cores ${c.sharedCores} -> bound by ${verdict.boundBy}.`,
  );
}
