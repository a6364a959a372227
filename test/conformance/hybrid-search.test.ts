import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, type MilvusClient, RRFRanker, WeightedRanker } from '@zilliz/milvus2-sdk-node';
import { encodeMessage } from '../../src/api/grpc/codec/milvus-proto.js';
import { seededRandom } from '../../src/kernels/seeded-random.js';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';
import { rawMilvusCall } from '../helpers/raw-milvus-call.js';

// HybridSearch through the Node SDK on a collection with two dense vector fields (L2 and IP),
// checked against the reranker formulas applied to brute-force per-field rankings.
const random = seededRandom(303);
const rows = Array.from({ length: 300 }, (_, id) => ({
  id,
  tag: id % 3,
  a: Array.from({ length: 4 }, () => Math.round(random() * 20) / 4),
  b: Array.from({ length: 6 }, () => Math.round(random() * 20 - 10) / 4),
}));
const qa = [1, 2, 3, 4];
const qb = [0.5, -1, 2, 0, 1, -0.5];

function ranking(field: 'a' | 'b', query: number[], limit: number, keep: (r: (typeof rows)[0]) => boolean) {
  const scored = rows.filter(keep).map((row) => {
    const v = row[field];
    const score =
      field === 'a'
        ? v.reduce((s, x, i) => s + (x - query[i]!) ** 2, 0)
        : v.reduce((s, x, i) => s + x * query[i]!, 0);
    return { id: row.id, score };
  });
  scored.sort((x, y) => (field === 'a' ? x.score - y.score : y.score - x.score) || x.id - y.id);
  return scored.slice(0, limit);
}

describe('HybridSearch through the Node SDK', () => {
  let server: QuiverProcess;
  let client: MilvusClient;

  before(async () => {
    server = await startQuiver();
    client = connectClient(server.address);
    await client.createCollection({
      collection_name: 'multi',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'tag', data_type: DataType.Int32 },
        { name: 'a', data_type: DataType.FloatVector, dim: 4 },
        { name: 'b', data_type: DataType.FloatVector, dim: 6 },
      ],
    });
    await client.loadCollection({ collection_name: 'multi' });
    await client.insert({ collection_name: 'multi', data: rows });
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  const subRequests = [
    { data: [qa], anns_field: 'a', params: { metric_type: 'L2' } },
    { data: [qb], anns_field: 'b', params: { metric_type: 'IP' }, expr: 'tag != 1' },
  ];

  test('RRFRanker(k): fused by primary key, Σ 1 / (k + rank)', async () => {
    const result = await client.hybridSearch({
      collection_name: 'multi',
      data: subRequests,
      rerank: RRFRanker(20),
      limit: 8,
      output_fields: ['tag'],
    });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    // The SDK sends each sub-request with the hybrid limit as its topk.
    const la = ranking('a', qa, 8, () => true);
    const lb = ranking('b', qb, 8, (r) => r.tag !== 1);
    const fused = new Map<number, number>();
    for (const list of [la, lb]) {
      list.forEach((hit, i) => {
        fused.set(hit.id, (fused.get(hit.id) ?? 0) + 1 / (20 + i + 1));
      });
    }
    const expected = [...fused.entries()].sort((x, y) => y[1] - x[1]).slice(0, 8);
    const hits = result.results as unknown as Array<{ id: string; score: number; tag: number }>;
    assert.equal(hits.length, 8);
    hits.forEach((hit, i) => {
      assert.ok(Math.abs(hit.score - expected[i]![1]) < 1e-6, `score ${i}`);
      assert.equal(hit.tag, rows[Number(hit.id)]!.tag);
    });
    // Ids agree wherever the expected scores are distinct (equal scores may come in either order).
    const distinct = (i: number) =>
      (i === 0 || expected[i - 1]![1] !== expected[i]![1]) &&
      (i === expected.length - 1 || expected[i + 1]![1] !== expected[i]![1]);
    hits.forEach((hit, i) => {
      if (distinct(i)) assert.equal(Number(hit.id), expected[i]![0], `id ${i}`);
    });
  });

  test("WeightedRanker: Σ w · norm(score) with Milvus's normalisation; bad rankers and fields refused", async () => {
    const full = await client.hybridSearch({
      collection_name: 'multi',
      data: subRequests,
      rerank: WeightedRanker([0.7, 0.3]),
      limit: 10,
    });
    assert.equal(full.status.error_code, 'Success', full.status.reason);
    const la = ranking('a', qa, 10, () => true);
    const lb = ranking('b', qb, 10, (r) => r.tag !== 1);
    const fused = new Map<number, number>();
    for (const hit of la)
      fused.set(hit.id, (fused.get(hit.id) ?? 0) + 0.7 * (1 - (2 * Math.atan(hit.score)) / Math.PI));
    for (const hit of lb)
      fused.set(hit.id, (fused.get(hit.id) ?? 0) + 0.3 * (0.5 + Math.atan(hit.score) / Math.PI));
    const expected = [...fused.values()].sort((x, y) => y - x).slice(0, 10);
    const hits = full.results as unknown as Array<{ id: string; score: number }>;
    hits.forEach((hit, i) => {
      assert.ok(Math.abs(hit.score - expected[i]!) < 1e-5, `score ${i}: ${hit.score} vs ${expected[i]}`);
      assert.ok(Math.abs(fused.get(Number(hit.id))! - hit.score) < 1e-5, `id ${hit.id} has its own score`);
    });

    // offset pages the fused list; each sub-request returns its own best `limit` (the SDK sends the
    // hybrid limit there), so the candidates here are the top 4 of each field.
    const page = await client.hybridSearch({
      collection_name: 'multi',
      data: subRequests,
      rerank: WeightedRanker([0.7, 0.3]),
      limit: 4,
      offset: 3,
    });
    assert.equal(page.status.error_code, 'Success', page.status.reason);
    const pageHits = page.results as unknown as Array<{ id: string; score: number }>;
    const pa = ranking('a', qa, 4, () => true);
    const pb = ranking('b', qb, 4, (r) => r.tag !== 1);
    const pageFused = new Map<number, number>();
    for (const hit of pa)
      pageFused.set(hit.id, (pageFused.get(hit.id) ?? 0) + 0.7 * (1 - (2 * Math.atan(hit.score)) / Math.PI));
    for (const hit of pb)
      pageFused.set(hit.id, (pageFused.get(hit.id) ?? 0) + 0.3 * (0.5 + Math.atan(hit.score) / Math.PI));
    const pageExpected = [...pageFused.values()].sort((x, y) => y - x).slice(3, 7);
    assert.equal(pageHits.length, pageExpected.length);
    pageHits.forEach((hit, i) => {
      assert.ok(Math.abs(hit.score - pageExpected[i]!) < 1e-5, `page score ${i}`);
    });

    const bad = await client.hybridSearch({
      collection_name: 'multi',
      data: subRequests,
      rerank: WeightedRanker([0.2, 0.4, 0.8]),
      limit: 10,
    });
    assert.equal(bad.status.code, 1100);
    assert.match(bad.status.reason, /the length of weights param mismatch with ann search requests/);
    // The SDK refuses an unknown anns_field itself; the server's own answer, through a raw call:
    const placeholder = Buffer.from(
      encodeMessage('milvus.proto.common.PlaceholderGroup', {
        placeholders: [
          { tag: '$0', type: 'FloatVector', values: [Buffer.from(new Float32Array(qa).buffer)] },
        ],
      }),
    );
    const missingField = await rawMilvusCall<{ status: { code: number; reason: string } }>(
      server.address,
      'HybridSearch',
      {
        collection_name: 'multi',
        requests: [
          {
            collection_name: 'multi',
            placeholder_group: placeholder,
            nq: 1,
            search_params: [
              { key: 'anns_field', value: 'nope' },
              { key: 'topk', value: '5' },
            ],
          },
        ],
        rank_params: [
          { key: 'strategy', value: 'rrf' },
          { key: 'params', value: '{"k":60}' },
          { key: 'limit', value: '5' },
        ],
      },
    );
    assert.notEqual(missingField.status.code, 0);
    assert.match(missingField.status.reason, /fieldName\(nope\) not found/);
  });
});
