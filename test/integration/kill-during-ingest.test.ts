import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { seededRandom } from '../../src/kernels/seeded-random.js';
import { connectClient } from '../helpers/milvus-client.js';
import { makeTempDataDir, type QuiverProcess, removeDir } from '../helpers/quiver-process.js';
import { startBuiltQuiver } from '../helpers/start-built-quiver.js';

/*
 * A real server is killed with SIGKILL at seeded-random moments while the Node SDK ingests with
 * four concurrent insert loops (distinct keys) and two loops upserting and deleting keys written
 * earlier. Every request is tracked: acknowledged (resolved with status Success) or in flight at
 * the kill. After each restart on the same data directory:
 *   - every acknowledged write is visible exactly once with its values, acknowledged deletes are gone;
 *   - each in-flight request is all-or-nothing (a request is one WAL record);
 *   - nothing else exists, no key appears twice, and count() matches.
 * Some rounds flush before or during ingest, so recovery reads segment files as well as the WAL.
 */

const COLLECTION = 'ingest';
const ROUNDS = 5;
const INSERT_LOOPS = 4;
const ROWS_PER_INSERT = 10;
const KEYS_PER_ROUND = 1_000_000;
const KEYS_PER_LOOP = 100_000;

interface RowValue {
  worker: number;
  version: number;
  payload: string;
}

type Outcome = 'pending' | 'acked' | 'refused';

interface WriteRequest {
  kind: 'insert' | 'upsert' | 'delete';
  round: number;
  keys: number[];
  /** New values (insert, upsert). */
  values: Map<number, RowValue>;
  /** Values before the request (upsert, delete): all keys were acknowledged present. */
  previous: Map<number, RowValue>;
  outcome: Outcome;
  reason?: string;
}

function rowValue(worker: number, version: number, key: number): RowValue {
  return { worker, version, payload: `w${worker}-k${key}-v${version}-${'·'.repeat(key % 7)}` };
}

function toRow(key: number, value: RowValue) {
  return {
    id: key,
    worker: value.worker,
    version: value.version,
    payload: value.payload,
    v: [key % 97, value.version, 1, 0],
  };
}

function sameValue(a: RowValue | undefined, b: RowValue | undefined): boolean {
  return (
    a !== undefined &&
    b !== undefined &&
    a.worker === b.worker &&
    a.version === b.version &&
    a.payload === b.payload
  );
}

function describeRequest(request: WriteRequest): string {
  return `${request.kind} of ${request.keys.length} keys [${request.keys.slice(0, 4).join(', ')}${request.keys.length > 4 ? ', …' : ''}] in round ${request.round}`;
}

describe('SIGKILL at random moments during SDK ingest', () => {
  const dirs: string[] = [];
  /** The server and client of the moment, so a failed assertion never leaves a process behind. */
  const current: { server?: QuiverProcess; client?: MilvusClient } = {};
  after(async () => {
    await current.client?.closeConnection();
    await current.server?.kill();
    for (const dir of dirs) await removeDir(dir);
  });

  test('acknowledged writes survive, in-flight requests are all-or-nothing, nothing is duplicated', async (t) => {
    const dataDir = await makeTempDataDir('quiver-kill-');
    dirs.push(dataDir);
    // Separate generators: kill delays must not depend on how many mutations ran before.
    const killRandom = seededRandom(0xc0ffee);
    const mutationRandom = seededRandom(0xbadcafe);
    /** Acknowledged state: key → value for every key that must be present. */
    const known = new Map<number, RowValue>();
    /** Every key ever named by a write, so scans can prove nothing else exists. */
    const keyRanges: Array<[number, number]> = [];
    let ackedInserts = 0;
    let inFlightTotal = 0;

    let server = await startBuiltQuiver({ dataDir });
    let client = connectClient(server.address);
    Object.assign(current, { server, client });
    const created = await client.createCollection({
      collection_name: COLLECTION,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'worker', data_type: DataType.Int32 },
        { name: 'version', data_type: DataType.Int32 },
        { name: 'payload', data_type: DataType.VarChar, max_length: 64 },
        { name: 'v', data_type: DataType.FloatVector, dim: 4 },
      ],
    });
    assert.equal(created.error_code, 'Success', created.reason);
    const loaded = await client.loadCollection({ collection_name: COLLECTION });
    assert.equal(loaded.error_code, 'Success', loaded.reason);

    /** Reads every row in every key range ever written; fails on a key returned twice. */
    const scan = async (): Promise<Map<number, RowValue>> => {
      const observed = new Map<number, RowValue>();
      for (const [low, high] of keyRanges) {
        const result = await client.query({
          collection_name: COLLECTION,
          filter: `id >= ${low} and id < ${high}`,
          output_fields: ['worker', 'version', 'payload'],
        });
        assert.equal(result.status.error_code, 'Success', result.status.reason);
        for (const row of result.data) {
          const key = Number(row.id);
          assert.ok(!observed.has(key), `key ${key} returned twice`);
          observed.set(key, { worker: row.worker, version: row.version, payload: row.payload });
        }
      }
      return observed;
    };

    /** Checks the restarted server against the model and resolves the in-flight requests. */
    const verify = async (inFlight: WriteRequest[], label: string) => {
      const observed = await scan();
      const countBefore = (await client.count({ collection_name: COLLECTION })).data;
      assert.equal(countBefore, observed.size, `${label}: count() equals the rows a scan finds`);
      // Bounds from the acknowledged state alone: in-flight inserts may add their rows, in-flight
      // deletes may remove theirs; upserts keep the count.
      const maxCount =
        known.size + inFlight.filter((r) => r.kind === 'insert').reduce((n, r) => n + r.keys.length, 0);
      const minCount =
        known.size - inFlight.filter((r) => r.kind === 'delete').reduce((n, r) => n + r.keys.length, 0);
      assert.ok(
        countBefore >= minCount && countBefore <= maxCount,
        `${label}: count ${countBefore} within [${minCount}, ${maxCount}]`,
      );

      for (const request of inFlight) {
        const got = await client.get({
          collection_name: COLLECTION,
          ids: request.keys,
          output_fields: ['worker', 'version', 'payload'],
        });
        assert.equal(got.status.error_code, 'Success', got.status.reason);
        const byGet = new Map(got.data.map((row) => [Number(row.id), row]));
        assert.equal(byGet.size, got.data.length, `${label}: get() returned a key twice`);
        for (const key of request.keys) {
          const a = observed.get(key);
          const b = byGet.get(key);
          assert.equal(a === undefined, b === undefined, `${label}: get() and scan disagree on ${key}`);
          if (a && b)
            assert.ok(sameValue(a, b as unknown as RowValue), `${label}: get() and scan values of ${key}`);
        }
        const applied = request.keys.every((key) => sameValue(observed.get(key), request.values.get(key)));
        const notApplied =
          request.kind === 'insert'
            ? request.keys.every((key) => !observed.has(key))
            : request.keys.every((key) => sameValue(observed.get(key), request.previous.get(key)));
        const deleted = request.kind === 'delete' && request.keys.every((key) => !observed.has(key));
        const outcome =
          request.kind === 'delete'
            ? deleted
              ? 'applied'
              : notApplied
                ? 'not applied'
                : 'partial'
            : applied
              ? 'applied'
              : notApplied
                ? 'not applied'
                : 'partial';
        assert.notEqual(
          outcome,
          'partial',
          `${label}: in-flight ${describeRequest(request)} was applied partially: ${JSON.stringify(
            request.keys.map((key) => [key, observed.get(key)?.version ?? null]),
          )}`,
        );
        if (outcome === 'applied') {
          for (const key of request.keys) {
            if (request.kind === 'delete') known.delete(key);
            else known.set(key, request.values.get(key)!);
          }
        }
      }

      // Now the model is exact: every acknowledged (or resolved) row, nothing else.
      for (const [key, value] of known) {
        const seen = observed.get(key);
        assert.ok(seen, `${label}: acknowledged key ${key} (version ${value.version}) is missing`);
        assert.ok(
          sameValue(seen, value),
          `${label}: key ${key} is ${JSON.stringify(seen)}, expected ${JSON.stringify(value)}`,
        );
      }
      for (const key of observed.keys()) {
        assert.ok(
          known.has(key),
          `${label}: key ${key} exists but was never acknowledged nor in flight (or was deleted)`,
        );
      }
      assert.equal(countBefore, known.size, `${label}: count() equals the model`);

      // The primary-key lookup path (`id in [...]`) agrees with the scans, key by key.
      const keys = [...known.keys()];
      for (let start = 0; start < keys.length; start += 500) {
        const chunk = keys.slice(start, start + 500);
        const result = await client.query({
          collection_name: COLLECTION,
          filter: `id in [${chunk.join(',')}]`,
          output_fields: ['worker', 'version', 'payload'],
        });
        assert.equal(result.status.error_code, 'Success', result.status.reason);
        assert.equal(result.data.length, chunk.length, `${label}: id in [...] finds each key once`);
        for (const row of result.data) {
          const value = { worker: row.worker, version: row.version, payload: row.payload };
          assert.ok(sameValue(value, known.get(Number(row.id))), `${label}: id in [...] value of ${row.id}`);
        }
      }
    };

    for (let round = 0; round < ROUNDS; round++) {
      const requests: WriteRequest[] = [];
      let killed = false;
      let markFirstAck: () => void = () => {};
      const firstAck = new Promise<void>((resolveAck) => {
        markFirstAck = resolveAck;
      });
      const send = async (
        request: WriteRequest,
        call: () => Promise<{ status: { error_code: string | number; reason: string } }>,
      ) => {
        requests.push(request);
        try {
          const result = await call();
          if (result.status.error_code === 'Success') {
            request.outcome = 'acked';
            markFirstAck();
          } else {
            request.outcome = 'refused';
            request.reason = result.status.reason;
          }
        } catch {
          // Transport failure: the server died with the request in flight; outcome unknown.
        }
        return request.outcome === 'acked';
      };

      const insertLoop = async (worker: number) => {
        const base = round * KEYS_PER_ROUND + worker * KEYS_PER_LOOP;
        keyRanges.push([base, base + KEYS_PER_LOOP]);
        for (let next = base; !killed; next += ROWS_PER_INSERT) {
          const keys = Array.from({ length: ROWS_PER_INSERT }, (_, i) => next + i);
          const values = new Map(keys.map((key) => [key, rowValue(worker, 0, key)]));
          const request: WriteRequest = {
            kind: 'insert',
            round,
            keys,
            values,
            previous: new Map(),
            outcome: 'pending',
          };
          const ok = await send(request, () =>
            client.insert({
              collection_name: COLLECTION,
              data: keys.map((key) => toRow(key, values.get(key)!)),
            }),
          );
          if (!ok) return;
          for (const key of keys) known.set(key, values.get(key)!);
          ackedInserts++;
        }
      };

      // Upserts and deletes of acknowledged keys (this round's or earlier). A key is taken out of
      // the pool while a request on it is pending, so no key is ever named by two in-flight
      // requests and each in-flight request has one well-defined "before" state.
      const busy = new Set<number>();
      const mutateLoop = async () => {
        while (!killed) {
          const candidates = [...known.keys()].filter((key) => !busy.has(key));
          if (candidates.length < 20) {
            await sleep(5);
            continue;
          }
          const keys = new Set<number>();
          const size = 1 + Math.floor(mutationRandom() * 5);
          while (keys.size < size) keys.add(candidates[Math.floor(mutationRandom() * candidates.length)]!);
          for (const key of keys) busy.add(key);
          const previous = new Map([...keys].map((key) => [key, known.get(key)!]));
          if (mutationRandom() < 0.6) {
            const values = new Map(
              [...keys].map((key) => [
                key,
                rowValue(previous.get(key)!.worker, previous.get(key)!.version + 1, key),
              ]),
            );
            const request: WriteRequest = {
              kind: 'upsert',
              round,
              keys: [...keys],
              values,
              previous,
              outcome: 'pending',
            };
            const ok = await send(request, () =>
              client.upsert({
                collection_name: COLLECTION,
                data: [...keys].map((key) => toRow(key, values.get(key)!)),
              }),
            );
            if (!ok) return;
            for (const [key, value] of values) known.set(key, value);
          } else {
            const request: WriteRequest = {
              kind: 'delete',
              round,
              keys: [...keys],
              values: new Map(),
              previous,
              outcome: 'pending',
            };
            let deleteCount = '';
            const ok = await send(request, async () => {
              const result = await client.delete({ collection_name: COLLECTION, ids: [...keys] });
              deleteCount = result.delete_cnt;
              return result;
            });
            if (!ok) return;
            assert.equal(deleteCount, String(keys.size), 'delete_cnt counts the live keys deleted');
            for (const key of keys) known.delete(key);
          }
          for (const key of keys) busy.delete(key);
        }
      };

      // Rounds 1 and 3 flush while ingesting; round 2 first flushes everything recovered so far.
      if (round === 2) {
        const flushed = await client.flushSync({ collection_names: [COLLECTION] });
        assert.equal(flushed.status.error_code, 'Success', flushed.status.reason);
      }
      const killDelayMs = 50 + Math.floor(killRandom() * 351);
      const loops = [
        ...Array.from({ length: INSERT_LOOPS }, (_, worker) => insertLoop(worker)),
        mutateLoop(),
        mutateLoop(),
      ];
      // The kill clock starts once ingest is under way (the first acknowledgement), so a short
      // delay still lands among running requests rather than before the first one.
      const started = await Promise.race([firstAck.then(() => true), sleep(15_000, false, { ref: false })]);
      assert.ok(started, `round ${round}: a first write is acknowledged`);
      if (round === 1 || round === 3) {
        loops.push(
          (async () => {
            await sleep(killDelayMs / 2);
            await client.flushSync({ collection_names: [COLLECTION] }).catch(() => undefined);
          })(),
        );
      }
      await sleep(killDelayMs);
      await server.kill();
      killed = true;
      const settled = await Promise.race([
        Promise.allSettled(loops),
        sleep(30_000, undefined, { ref: false }),
      ]);
      assert.ok(settled, `round ${round}: client calls settle after the kill`);
      for (const loop of settled) {
        if (loop.status === 'rejected') throw loop.reason; // an assertion inside a loop
      }
      await client.closeConnection();

      const refused = requests.filter((r) => r.outcome === 'refused');
      assert.deepEqual(
        refused.map((r) => `${describeRequest(r)}: ${r.reason}`),
        [],
        'no valid write is refused in-band',
      );
      const inFlight = requests.filter((r) => r.outcome === 'pending');
      inFlightTotal += inFlight.length;

      server = await startBuiltQuiver({ dataDir });
      client = connectClient(server.address);
      Object.assign(current, { server, client });
      const sizeBefore = known.size;
      await verify(inFlight, `round ${round} (killed after ${killDelayMs} ms, ${inFlight.length} in flight)`);
      const kinds = (list: WriteRequest[]) =>
        ['insert', 'upsert', 'delete']
          .map((kind) => `${list.filter((r) => r.kind === kind).length} ${kind}`)
          .join(', ');
      t.diagnostic(
        `round ${round}: killed after ${killDelayMs} ms; acknowledged ${kinds(requests.filter((r) => r.outcome === 'acked'))}; ` +
          `in flight ${kinds(inFlight)}; rows ${sizeBefore} acknowledged, ${known.size} after recovery`,
      );
    }

    assert.ok(ackedInserts >= ROUNDS, `ingest made progress (${ackedInserts} acknowledged inserts)`);
    assert.ok(inFlightTotal > 0, 'some requests were caught in flight');

    // A clean restart changes nothing.
    await client.closeConnection();
    assert.equal(await server.stop(), 0);
    server = await startBuiltQuiver({ dataDir });
    client = connectClient(server.address);
    Object.assign(current, { server, client });
    await verify([], 'after a clean restart');
    await client.closeConnection();
    await server.stop();
  });
});
