import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { encodeMessage } from '../../src/api/grpc/codec/milvus-proto.js';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';
import { rawMilvusCall } from '../helpers/raw-milvus-call.js';

const DIM = 8;

/** Seeded xorshift so every run searches the same data. */
function random(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

interface Row {
  id: number;
  group: number;
  v: number[];
}

function f32(x: number): number {
  return Math.fround(x);
}

/** Brute-force reference in float64 over float32-rounded inputs. */
function reference(
  rows: Row[],
  query: number[],
  metric: 'L2' | 'IP' | 'COSINE',
  k: number,
  keep: (r: Row) => boolean,
) {
  const norm = (v: number[]) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  const scored = rows.filter(keep).map((row) => {
    const v = row.v.map(f32);
    const q = query.map(f32);
    let score: number;
    if (metric === 'L2') score = v.reduce((s, x, i) => s + (x - q[i]!) ** 2, 0);
    else {
      const dot = v.reduce((s, x, i) => s + x * q[i]!, 0);
      score = metric === 'IP' ? dot : dot / (norm(v) * norm(q));
    }
    return { id: row.id, score };
  });
  scored.sort((a, b) => (metric === 'L2' ? a.score - b.score : b.score - a.score) || a.id - b.id);
  return scored.slice(0, k);
}

describe('Search through the Node SDK: exact FLAT results', () => {
  let server: QuiverProcess;
  let client: MilvusClient;
  const next = random(42);
  const rows: Row[] = Array.from({ length: 600 }, (_, id) => ({
    id,
    group: id % 5,
    v: Array.from({ length: DIM }, () => next() * 2 - 1),
  }));

  before(async () => {
    server = await startQuiver();
    client = connectClient(server.address);
    await client.createCollection({
      collection_name: 'vecs',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'group', data_type: DataType.Int32 },
        { name: 'v', data_type: DataType.FloatVector, dim: DIM },
      ],
    });
    await client.loadCollection({ collection_name: 'vecs' });
    // Three flushed segments plus a growing one, and some deletes.
    for (let s = 0; s < 4; s++) {
      await client.insert({ collection_name: 'vecs', data: rows.slice(s * 150, (s + 1) * 150) as never[] });
      if (s < 3) await client.flushSync({ collection_names: ['vecs'] });
    }
    await client.delete({ collection_name: 'vecs', filter: 'id in [3, 7, 160, 470]' });
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  const deleted = new Set([3, 7, 160, 470]);
  const queries = [rows[10]!.v, rows[300]!.v.map((x) => -x), Array.from({ length: DIM }, (_, i) => i / DIM)];

  for (const metric of ['L2', 'IP', 'COSINE'] as const) {
    test(`${metric}: ids and scores match a brute-force reference, nq = 3, with a filter and deletes`, async () => {
      const result = await client.search({
        collection_name: 'vecs',
        data: queries,
        limit: 7,
        metric_type: metric,
        filter: 'group != 2',
        output_fields: ['group'],
      });
      assert.equal(result.status.error_code, 'Success', result.status.reason);
      const perQuery = result.results as unknown as Array<
        Array<{ id: string; score: number; group: number }>
      >;
      assert.equal(perQuery.length, 3);
      queries.forEach((query, q) => {
        const expected = reference(rows, query, metric, 7, (r) => r.group !== 2 && !deleted.has(r.id));
        const got = perQuery[q]!;
        assert.deepEqual(
          got.map((hit) => Number(hit.id)),
          expected.map((e) => e.id),
          `query ${q} ids`,
        );
        got.forEach((hit, i) => {
          assert.ok(
            Math.abs(hit.score - expected[i]!.score) <= 1e-4 * Math.max(1, Math.abs(expected[i]!.score)),
            `score ${i}`,
          );
          assert.notEqual(hit.group, 2);
        });
      });
    });
  }

  test('offset pages through the same ranking; round_decimal (pymilvus sends it in search_params) rounds scores', async () => {
    const full = (
      await client.search({ collection_name: 'vecs', data: [queries[0]!], limit: 10, metric_type: 'L2' })
    ).results as unknown as Array<{ id: string; score: number }>;
    const page = (
      await client.search({
        collection_name: 'vecs',
        data: [queries[0]!],
        limit: 5,
        offset: 5,
        metric_type: 'L2',
      })
    ).results as unknown as Array<{ id: string }>;
    assert.deepEqual(
      page.map((h) => h.id),
      full.slice(5).map((h) => h.id),
    );
    const placeholder = encodeMessage('milvus.proto.common.PlaceholderGroup', {
      placeholders: [
        { tag: '$0', type: 'FloatVector', values: [Buffer.from(new Float32Array(queries[0]!).buffer)] },
      ],
    });
    const rounded = await rawMilvusCall<{ results: { scores: number[] } }>(server.address, 'Search', {
      collection_name: 'vecs',
      placeholder_group: Buffer.from(placeholder),
      nq: 1,
      search_params: [
        { key: 'topk', value: '3' },
        { key: 'metric_type', value: 'L2' },
        { key: 'round_decimal', value: '2' },
      ],
    });
    assert.equal(rounded.results.scores.length, 3);
    for (const score of rounded.results.scores)
      assert.ok(Math.abs(score - Math.round(score * 100) / 100) < 1e-6, `${score}`);
  });

  test('a selective filter still returns k hits when k rows match', async () => {
    const result = await client.search({
      collection_name: 'vecs',
      data: [queries[1]!],
      limit: 5,
      filter: 'id in [1, 2, 4, 5, 6, 8]',
    });
    const hits = result.results as unknown as Array<{ id: string }>;
    assert.equal(hits.length, 5);
  });

  test('bad searches get Milvus errors and the server stays up', async () => {
    const wrongDim = await client.search({ collection_name: 'vecs', data: [[1, 2, 3]], limit: 3 });
    assert.equal(wrongDim.status.code, 1100);
    assert.match(wrongDim.status.reason, /dim/);
    const badTopK = await client.search({ collection_name: 'vecs', data: [queries[0]!], limit: 20000 });
    assert.notEqual(badTopK.status.code, 0);
    const badMetric = await client.search({
      collection_name: 'vecs',
      data: [queries[0]!],
      limit: 3,
      metric_type: 'HAMMING',
    });
    assert.notEqual(badMetric.status.code, 0);
    const placeholder = encodeMessage('milvus.proto.common.PlaceholderGroup', {
      placeholders: [
        { tag: '$0', type: 'FloatVector', values: [Buffer.from(new Float32Array(queries[0]!).buffer)] },
      ],
    });
    const badField = await rawMilvusCall<{ status: { code: number; reason: string } }>(
      server.address,
      'Search',
      {
        collection_name: 'vecs',
        placeholder_group: Buffer.from(placeholder),
        nq: 1,
        search_params: [
          { key: 'topk', value: '3' },
          { key: 'anns_field', value: 'nope' },
        ],
      },
    );
    assert.notEqual(badField.status.code, 0);
    assert.match(badField.status.reason, /nope/);
    const garbage = await rawMilvusCall<{ status: { code: number } }>(server.address, 'Search', {
      collection_name: 'vecs',
      placeholder_group: Buffer.from([0xff, 0x00, 0x13]),
      nq: 1,
      search_params: [{ key: 'topk', value: '3' }],
    });
    assert.equal(garbage.status.code, 1100);
    const nan = await client.search({
      collection_name: 'vecs',
      data: [[Number.NaN, 0, 0, 0, 0, 0, 0, 0]],
      limit: 3,
    });
    assert.notEqual(nan.status.code, 0);
    const missing = await client
      .search({ collection_name: 'ghost', data: [queries[0]!], limit: 3 })
      .catch((e: Error) => e);
    if (!(missing instanceof Error)) assert.equal(missing.status.code, 100);
    assert.equal((await client.checkHealth()).isHealthy, true);
  });
  test('group_by_field with group_size: groups by best hit, offset skips groups, values returned', async () => {
    const result = await client.search({
      collection_name: 'vecs',
      data: [queries[0]!],
      limit: 3,
      offset: 1,
      metric_type: 'L2',
      group_by_field: 'group',
      group_size: 2,
      output_fields: ['group'],
    });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    const hits = result.results as unknown as Array<{ id: string; group: number }>;
    // Reference: the exact ranking, first group skipped, then 3 groups of 2, grouped contiguously.
    const ranking = reference(rows, queries[0]!, 'L2', rows.length, (r) => !deleted.has(r.id));
    const groupOf = new Map(rows.map((r) => [r.id, r.group]));
    const skipped = new Set<number>();
    const groups = new Map<number, number[]>();
    for (const { id } of ranking) {
      const group = groupOf.get(id)!;
      if (skipped.has(group) || skipped.size < 1) {
        skipped.add(group);
        continue;
      }
      const members = groups.get(group);
      if (!members) {
        if (groups.size < 3) groups.set(group, [id]);
      } else if (members.length < 2) members.push(id);
    }
    assert.deepEqual(
      hits.map((hit) => Number(hit.id)),
      [...groups.values()].flat(),
    );
    assert.deepEqual(
      hits.map((hit) => hit.group),
      [...groups.entries()].flatMap(([group, members]) => members.map(() => group)),
    );
    const bad = await client.search({
      collection_name: 'vecs',
      data: [queries[0]!],
      limit: 3,
      group_by_field: 'v',
    });
    assert.equal(bad.status.code, 1100);
    assert.match(bad.status.reason, /group by field v/);
    const missingField = await client.search({
      collection_name: 'vecs',
      data: [queries[0]!],
      limit: 3,
      group_by_field: 'nope',
    });
    assert.match(missingField.status.reason, /nope/);
  });

  test('ignore_growing searches only sealed (flushed) segments', async () => {
    const result = await client.search({
      collection_name: 'vecs',
      data: [queries[0]!],
      limit: 20,
      metric_type: 'L2',
      ignore_growing: true,
    });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    // Rows 450..599 were inserted after the last flush: they are in the growing segment.
    const expected = reference(rows, queries[0]!, 'L2', 20, (r) => r.id < 450 && !deleted.has(r.id));
    assert.deepEqual(
      result.results.map((hit) => Number(hit.id)),
      expected.map((e) => e.id),
    );
  });

  test('search by primary key: the stored vectors are the queries', async () => {
    const byKey = await client.search({
      collection_name: 'vecs',
      ids: [10, 300],
      limit: 4,
      metric_type: 'L2',
    } as never);
    assert.equal(byKey.status.error_code, 'Success', byKey.status.reason);
    const byVector = await client.search({
      collection_name: 'vecs',
      data: [rows[10]!.v, rows[300]!.v],
      limit: 4,
      metric_type: 'L2',
    });
    const ids = (r: typeof byKey) =>
      (r.results as unknown as Array<Array<{ id: string; score: number }>>).map((q) =>
        q.map((h) => [h.id, h.score]),
      );
    assert.deepEqual(ids(byKey), ids(byVector));
    const first = (byKey.results as unknown as Array<Array<{ id: string; score: number }>>)[0]![0]!;
    assert.equal(first.id, '10');
    assert.equal(first.score, 0);

    const missing = await client.search({ collection_name: 'vecs', ids: [10, 3, 99999], limit: 4 } as never);
    assert.equal(missing.status.code, 1100);
    assert.match(
      missing.status.reason,
      /some of the provided primary key IDs do not exist: missing IDs = \[3 99999\]/,
    );
  });
});
