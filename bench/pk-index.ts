/**
 * The primary-key index: PrimaryKeyIndex ("typed", src/engine/collection/primary-key-index.ts)
 * against the Map<PkValue, {segment, row}> that CollectionData used before ("map", its code copied
 * here), for 1M keys of three kinds: sequential Int64 (as bench/restart.ts inserts them), random
 * 64-bit Int64, and VarChar (~20 characters). Per kind and implementation, in a fresh process each
 * (so JIT state and garbage from one do not bleed into the other):
 * - bulk load: indexing a loaded sealed segment of N rows, as CollectionData.addLoadedSegment does
 *   at startup (live-row check and MVCC clash rule included);
 * - retained memory: V8 heap + ArrayBuffer bytes after GC, index built minus before (the key column
 *   itself exists before and is not counted; for "map", the bigint keys it creates are);
 * - lookups of N present keys in shuffled order (returning {segment, row}, as lookup() does), and N
 *   absent keys.
 *
 * Usage: node --expose-gc .build-NAME/bench/pk-index.js [--keys=1000000]
 * (the parent re-runs itself with --expose-gc per case). Prints one JSON object, then a table.
 * Takes about 30-60 s on 2 cores.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type PkValue, PrimaryKeyIndex, type RowRef } from '../src/engine/collection/primary-key-index.js';
import { Segment } from '../src/engine/segment/segment.js';
import { seededRandom } from '../src/kernels/seeded-random.js';
import type { Column } from '../src/schema/column.js';
import { DataType } from '../src/schema/data-type.js';
import { argument } from './argument.js';
import { formatTable } from './format-table.js';
import { machineFacts } from './machine-facts.js';
import { round } from './round.js';

type KeyKind = 'int64 sequential' | 'int64 random' | 'varchar';
type Implementation = 'map' | 'typed';
const keyKinds: KeyKind[] = ['int64 sequential', 'int64 random', 'varchar'];
const implementationNames: Implementation[] = ['map', 'typed'];
/** bench/raw-insert-channel.ts's first key: keys from 2^35 up. */
const firstSequentialKey = 2n ** 35n;

function keyColumn(kind: KeyKind, count: number, seed: number): Column {
  const random = seededRandom(seed);
  if (kind === 'varchar') {
    const built = Array.from(
      { length: count },
      (_, i) => `doc-${seed}-${i}-${Math.floor(random() * 1e9).toString(36)}`,
    );
    // Template literals make cons strings, which an index flattens on first hashing (and the
    // memory figure would count that as the index's); keys decoded from a segment file or a
    // request are flat, as JSON.parse makes them.
    return { type: DataType.VarChar, values: JSON.parse(JSON.stringify(built)) as string[] };
  }
  const values = new BigInt64Array(count);
  for (let i = 0; i < count; i++) {
    values[i] =
      kind === 'int64 sequential'
        ? firstSequentialKey + BigInt(i) + BigInt(seed) * 2n ** 40n
        : BigInt.asIntN(
            64,
            (BigInt(Math.floor(random() * 2 ** 32)) << 32n) | BigInt(Math.floor(random() * 2 ** 32)),
          );
  }
  return { type: DataType.Int64, values };
}

/** CollectionData's MVCC rule for two rows with one key (see collection-data.ts). */
function supersedeOlder(
  existing: Segment,
  existingRow: number,
  incoming: Segment,
  incomingRow: number,
): boolean {
  const existingTs = existing.insertTimestamp(existingRow);
  const incomingTs = incoming.insertTimestamp(incomingRow);
  if (existingTs <= incomingTs) {
    existing.markDeleted(existingRow, incomingTs, 0n);
    return true;
  }
  incoming.markDeleted(incomingRow, existingTs, 0n);
  return false;
}

/** The index CollectionData had before PrimaryKeyIndex, as it was. */
class MapIndex {
  readonly map = new Map<PkValue, RowRef>();

  private index(key: PkValue, ref: RowRef, ts: bigint, lsn: bigint): void {
    const existing = this.map.get(key);
    if (!existing) {
      this.map.set(key, ref);
      return;
    }
    const existingTs = existing.segment.insertTimestamp(existing.row);
    if (existingTs <= ts) {
      existing.segment.markDeleted(existing.row, ts, lsn);
      this.map.set(key, ref);
    } else {
      ref.segment.markDeleted(ref.row, existingTs, lsn);
    }
  }

  addLoadedSegment(segment: Segment, values: ArrayLike<PkValue>): void {
    for (let row = 0; row < segment.numRows; row++) {
      if (segment.deleteTimestamp(row) !== 0n) continue;
      this.index(values[row]!, { segment, row }, segment.insertTimestamp(row), 0n);
    }
  }
}

/** Heap + ArrayBuffer bytes after full GCs, with turns of the event loop between them so that freed
 * ArrayBuffer backing stores (released after the GC, not during it) are no longer counted. */
async function retainedBytes(): Promise<number> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error('run with --expose-gc');
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const usage = process.memoryUsage();
  return usage.heapUsed + usage.arrayBuffers;
}

/** One (kind, implementation) case in this process. */
async function runCase(kind: KeyKind, implementation: Implementation, count: number) {
  const column = keyColumn(kind, count, 1);
  const keys = column.values as BigInt64Array | string[];
  const segment = Segment.fromFile(1n, 0, {
    columns: new Map([['id', column]]),
    insertTimestamps: new BigUint64Array(count).fill(1000n),
    numRows: count,
  });
  // Lookup keys: every key once, shuffled; and as many absent keys (another seed's column).
  const random = seededRandom(2);
  const present: PkValue[] = Array.from(keys as ArrayLike<PkValue>);
  for (let i = present.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [present[i], present[j]] = [present[j]!, present[i]!];
  }
  const absent: PkValue[] = Array.from(keyColumn(kind, count, 3).values as ArrayLike<PkValue>);

  const before = await retainedBytes();
  let get: (key: PkValue) => RowRef | undefined;
  let size: () => number;
  const started = performance.now();
  if (implementation === 'map') {
    const index = new MapIndex();
    index.addLoadedSegment(segment, keys);
    get = (key) => index.map.get(key);
    size = () => index.map.size;
  } else {
    const index = new PrimaryKeyIndex(kind === 'varchar' ? 'varchar' : 'int64');
    index.addSegmentKeys(segment, 0, keys, segment.deleteTimestamps(), supersedeOlder);
    get = (key) => index.get(key);
    size = () => index.size;
  }
  const bulkLoadMs = performance.now() - started;
  const indexBytes = (await retainedBytes()) - before;
  if (size() !== count) throw new Error(`indexed ${size()} keys, expected ${count}`);

  const timeLookups = (lookupKeys: readonly PkValue[], expectFound: boolean) => {
    let found = 0;
    let rowSum = 0;
    const lookupStarted = performance.now();
    for (const key of lookupKeys) {
      const ref = get(key);
      if (ref) {
        found++;
        rowSum += ref.row;
      }
    }
    const ms = performance.now() - lookupStarted;
    if (found !== (expectFound ? lookupKeys.length : 0)) throw new Error(`found ${found} keys`);
    if (expectFound && lookupKeys.length === count && rowSum !== (count * (count - 1)) / 2)
      throw new Error('wrong rows');
    return ms;
  };
  // One untimed pass so both implementations are measured with optimised code.
  timeLookups(present.slice(0, 10_000), true);
  const presentLookupMs = timeLookups(present, true);
  const absentLookupMs = timeLookups(absent, false);
  return {
    keyKind: kind,
    implementation,
    keys: count,
    bulkLoadMs: round(bulkLoadMs, 1),
    bulkLoadKeysPerSecond: Math.round(count / (bulkLoadMs / 1000)),
    indexBytes,
    indexBytesPerKey: round(indexBytes / count, 1),
    presentLookupMs: round(presentLookupMs, 1),
    presentLookupNsPerKey: round((presentLookupMs * 1e6) / count, 0),
    absentLookupMs: round(absentLookupMs, 1),
    absentLookupNsPerKey: round((absentLookupMs * 1e6) / count, 0),
  };
}

const caseArgument = argument('case', '');
const count = Number(argument('keys', '1000000'));
if (caseArgument !== '') {
  const [kind, implementation] = caseArgument.split(':') as [KeyKind, Implementation];
  console.log(JSON.stringify(await runCase(kind, implementation, count)));
} else {
  const self = fileURLToPath(import.meta.url);
  const results = [];
  for (const kind of keyKinds) {
    for (const implementation of implementationNames) {
      const child = spawnSync(
        process.execPath,
        ['--expose-gc', self, `--case=${kind}:${implementation}`, `--keys=${count}`],
        { encoding: 'utf8' },
      );
      if (child.status !== 0) throw new Error(`case ${kind}:${implementation} failed: ${child.stderr}`);
      results.push(JSON.parse(child.stdout.trim()) as Awaited<ReturnType<typeof runCase>>);
    }
  }
  console.log(JSON.stringify({ bench: 'pk-index', machine: machineFacts(), results }));
  console.log(
    formatTable(
      [
        'keys',
        'index',
        'count',
        'bulk load ms',
        'keys/s',
        'retained MiB',
        'bytes/key',
        'hit lookups ms',
        'ns/hit',
        'miss lookups ms',
        'ns/miss',
      ],
      results.map((r) => [
        r.keyKind,
        r.implementation,
        String(r.keys),
        r.bulkLoadMs.toFixed(1),
        String(r.bulkLoadKeysPerSecond),
        (r.indexBytes / 2 ** 20).toFixed(1),
        r.indexBytesPerKey.toFixed(1),
        r.presentLookupMs.toFixed(1),
        String(r.presentLookupNsPerKey),
        r.absentLookupMs.toFixed(1),
        String(r.absentLookupNsPerKey),
      ]),
    ),
  );
}
