import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, type MilvusClient, RRFRanker, WeightedRanker } from '@zilliz/milvus2-sdk-node';
import { seededRandom } from '../../src/kernels/seeded-random.js';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';

// SPARSE_FLOAT_VECTOR search (IP) through the Node SDK against a reference scorer written here,
// and a dense + sparse hybrid search.
const random = seededRandom(808);
type Sparse = Record<number, number>;
function randomSparse(nonZeros: number, vocabulary: number): Sparse {
  const vector: Sparse = {};
  while (Object.keys(vector).length < nonZeros)
    vector[Math.floor(random() * vocabulary)] = Math.round(random() * 100) / 100 + 0.01;
  return vector;
}
const rows = Array.from({ length: 400 }, (_, id) => ({
  id,
  tag: id % 4,
  dense: Array.from({ length: 4 }, () => random()),
  sparse: randomSparse(1 + (id % 7), 60),
}));

function ip(a: Sparse, b: Sparse): number {
  let sum = 0;
  for (const [index, value] of Object.entries(a))
    if (b[Number(index)] !== undefined) sum += value * b[Number(index)]!;
  return Math.fround(sum);
}

function reference(query: Sparse, limit: number, keep: (r: (typeof rows)[0]) => boolean) {
  return rows
    .filter(keep)
    .map((row) => ({ id: row.id, score: ip(query, row.sparse) }))
    .filter((hit) => hit.score > 0)
    .sort((x, y) => y.score - x.score || x.id - y.id)
    .slice(0, limit);
}

describe('sparse vectors through the Node SDK', () => {
  let server: QuiverProcess;
  let client: MilvusClient;

  before(async () => {
    server = await startQuiver();
    client = connectClient(server.address);
    const created = await client.createCollection({
      collection_name: 'docs',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'tag', data_type: DataType.Int32 },
        { name: 'dense', data_type: DataType.FloatVector, dim: 4 },
        { name: 'sparse', data_type: DataType.SparseFloatVector },
      ],
    });
    assert.equal(created.error_code, 'Success', created.reason);
    // Sealed rows are searched through the inverted index (DAAT_MAXSCORE), growing ones scanned.
    const indexed = await client.createIndex({
      collection_name: 'docs',
      field_name: 'sparse',
      index_type: 'SPARSE_INVERTED_INDEX',
      metric_type: 'IP',
      params: { inverted_index_algo: 'DAAT_MAXSCORE' },
    });
    assert.equal(indexed.error_code, 'Success', indexed.reason);
    await client.loadCollection({ collection_name: 'docs' });
    await client.insert({ collection_name: 'docs', data: rows.slice(0, 200) });
    await client.flushSync({ collection_names: ['docs'] });
    await client.insert({ collection_name: 'docs', data: rows.slice(200) });
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  test('IP search over sealed and growing rows matches the reference scorer, with a filter', async () => {
    const queries = [randomSparse(5, 60), randomSparse(3, 60)];
    const result = await client.search({
      collection_name: 'docs',
      anns_field: 'sparse',
      data: queries,
      limit: 12,
      metric_type: 'IP',
      filter: 'tag != 2',
      output_fields: ['tag'],
    });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    const perQuery = result.results as unknown as Array<Array<{ id: string; score: number; tag: number }>>;
    queries.forEach((query, q) => {
      const expected = reference(query, 12, (r) => r.tag !== 2);
      assert.equal(perQuery[q]!.length, expected.length);
      perQuery[q]!.forEach((hit, i) => {
        assert.ok(Math.abs(hit.score - expected[i]!.score) < 1e-5, `score ${q}/${i}`);
        assert.ok(
          Math.abs(ip(query, rows[Number(hit.id)]!.sparse) - hit.score) < 1e-5,
          `own score ${q}/${i}`,
        );
        assert.notEqual(hit.tag, 2);
      });
    });
  });

  test('bad sparse queries and metrics get Milvus errors', async () => {
    const wrongMetric = await client.search({
      collection_name: 'docs',
      anns_field: 'sparse',
      data: [{ 1: 0.5 }],
      limit: 3,
      metric_type: 'L2',
    });
    assert.equal(wrongMetric.status.code, 1100);
    assert.match(wrongMetric.status.reason, /supported: \[IP\]/);
    const negative = await client.search({
      collection_name: 'docs',
      anns_field: 'sparse',
      data: [{ 1: -0.5 }],
      limit: 3,
    });
    assert.equal(negative.status.code, 1100);
    assert.match(negative.status.reason, /negative value in sparse float vector/);
  });

  test('hybrid search of a dense and a sparse request with RRF', async () => {
    const denseQuery = [0.5, 0.5, 0.5, 0.5];
    const sparseQuery = randomSparse(6, 60);
    const result = await client.hybridSearch({
      collection_name: 'docs',
      data: [
        { data: [denseQuery], anns_field: 'dense', params: { metric_type: 'L2' } },
        { data: [sparseQuery], anns_field: 'sparse', params: { metric_type: 'IP' } },
      ],
      rerank: RRFRanker(60),
      limit: 6,
    });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    const dense = rows
      .map((r) => ({
        id: r.id,
        d: r.dense.reduce((s, x, i) => s + (Math.fround(x) - denseQuery[i]!) ** 2, 0),
      }))
      .sort((x, y) => x.d - y.d || x.id - y.id)
      .slice(0, 6);
    const sparse = reference(sparseQuery, 6, () => true);
    const fused = new Map<number, number>();
    for (const list of [dense, sparse]) {
      list.forEach((hit, i) => {
        fused.set(hit.id, (fused.get(hit.id) ?? 0) + 1 / (60 + i + 1));
      });
    }
    const expected = [...fused.values()].sort((x, y) => y - x).slice(0, 6);
    const hits = result.results as unknown as Array<{ id: string; score: number }>;
    assert.equal(hits.length, 6);
    hits.forEach((hit, i) => {
      assert.ok(Math.abs(hit.score - expected[i]!) < 1e-6, `score ${i}`);
      assert.ok(Math.abs(fused.get(Number(hit.id))! - hit.score) < 1e-6);
    });
  });
  test('hybrid search of a dense and a sparse request with the weighted ranker', async () => {
    const denseQuery = [0.2, 0.8, 0.4, 0.6];
    const sparseQuery = randomSparse(5, 60);
    const result = await client.hybridSearch({
      collection_name: 'docs',
      data: [
        { data: [denseQuery], anns_field: 'dense', params: { metric_type: 'L2' } },
        { data: [sparseQuery], anns_field: 'sparse', params: { metric_type: 'IP' } },
      ],
      rerank: WeightedRanker([0.4, 0.6]),
      limit: 6,
    });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    const dense = rows
      .map((r) => ({
        id: r.id,
        d: r.dense.reduce((s, x, i) => s + (Math.fround(x) - denseQuery[i]!) ** 2, 0),
      }))
      .sort((x, y) => x.d - y.d || x.id - y.id)
      .slice(0, 6);
    const sparse = reference(sparseQuery, 6, () => true);
    const fused = new Map<number, number>();
    for (const hit of dense)
      fused.set(hit.id, (fused.get(hit.id) ?? 0) + 0.4 * (1 - (2 * Math.atan(hit.d)) / Math.PI));
    for (const hit of sparse)
      fused.set(hit.id, (fused.get(hit.id) ?? 0) + 0.6 * (0.5 + Math.atan(hit.score) / Math.PI));
    const expected = [...fused.values()].sort((x, y) => y - x).slice(0, 6);
    const hits = result.results as unknown as Array<{ id: string; score: number }>;
    assert.equal(hits.length, 6);
    hits.forEach((hit, i) => {
      assert.ok(Math.abs(hit.score - expected[i]!) < 1e-5, `score ${i}`);
      assert.ok(Math.abs(fused.get(Number(hit.id))! - hit.score) < 1e-5);
    });
  });
});
