import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, type MilvusClient } from '@zilliz/milvus2-sdk-node';
import { seededRandom } from '../../src/kernels/seeded-random.js';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';

// ANN indexes through the Node SDK: declared on a collection that already holds sealed data, built
// in the background (DescribeIndex reports progress), used by search with Milvus's parameters,
// written beside their segments and loaded (not rebuilt) after a restart.
const DIM = 16;
const ROWS = 4000;
const random = seededRandom(77);
/** Clustered data: 20 centres, points scattered around them, so ANN has structure to exploit. */
const centres = Array.from({ length: 20 }, () => Array.from({ length: DIM }, () => random() * 10));
const rows = Array.from({ length: ROWS }, (_, id) => ({
  id,
  v: centres[id % 20]!.map((c) => c + random() - 0.5),
}));
const queries = Array.from({ length: 20 }, (_, i) => centres[i]!.map((c) => c + random() - 0.5));

function exactTop(query: number[], k: number): number[] {
  return rows
    .map((row) => ({ id: row.id, d: row.v.reduce((s, x, i) => s + (x - query[i]!) ** 2, 0) }))
    .sort((a, b) => a.d - b.d || a.id - b.id)
    .slice(0, k)
    .map((r) => r.id);
}

async function waitForIndex(client: MilvusClient, collection_name: string, field_name: string) {
  for (let attempt = 0; attempt < 600; attempt++) {
    const described = await client.describeIndex({ collection_name, field_name });
    const index = described.index_descriptions[0]!;
    if (index.state === 'Finished' && Number(index.total_rows) > 0) return index;
    assert.notEqual(index.state, 'Failed', index.index_state_fail_reason);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('index build did not finish');
}

async function recallOf(client: MilvusClient, collection_name: string, params: Record<string, number>) {
  const result = await client.search({
    collection_name,
    data: queries,
    limit: 10,
    metric_type: 'L2',
    params,
  });
  assert.equal(result.status.error_code, 'Success', result.status.reason);
  const perQuery = result.results as unknown as Array<Array<{ id: string }>>;
  let hits = 0;
  perQuery.forEach((hitsOfQuery, q) => {
    const truth = new Set(exactTop(queries[q]!, 10));
    for (const hit of hitsOfQuery) if (truth.has(Number(hit.id))) hits++;
  });
  return { recall: hits / (queries.length * 10), ids: perQuery.map((h) => h.map((x) => x.id)) };
}

describe('ANN indexes through the Node SDK', () => {
  let server: QuiverProcess;
  let client: MilvusClient;

  before(async () => {
    server = await startQuiver();
    client = connectClient(server.address);
    for (const collection_name of ['hnsw', 'ivf']) {
      await client.createCollection({
        collection_name,
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'v', data_type: DataType.FloatVector, dim: DIM },
        ],
      });
      await client.loadCollection({ collection_name });
      for (let start = 0; start < ROWS; start += 1000) {
        await client.insert({ collection_name, data: rows.slice(start, start + 1000) });
      }
      await client.flushSync({ collection_names: [collection_name] });
    }
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  test('bad build and search parameters get knowhere-style messages', async () => {
    const badM = await client.createIndex({
      collection_name: 'hnsw',
      field_name: 'v',
      index_type: 'HNSW',
      metric_type: 'L2',
      params: { M: 0, efConstruction: 100 },
    });
    assert.equal(badM.code, 1100);
    assert.match(badM.reason, /param 'M' \(0\) should be in range \[2, 2048\]/);
    const badNlist = await client.createIndex({
      collection_name: 'ivf',
      field_name: 'v',
      index_type: 'IVF_FLAT',
      metric_type: 'L2',
      params: { nlist: 0 },
    });
    assert.match(badNlist.reason, /param 'nlist' \(0\) should be in range \[1, 65536\]/);
    const badPq = await client.createIndex({
      collection_name: 'ivf',
      field_name: 'v',
      index_type: 'IVF_PQ',
      metric_type: 'L2',
      params: { nlist: 16, m: 5 },
    });
    assert.match(badPq.reason, /should be a multiple of the number of subquantizers \(m\)/);
    const badMetric = await client.createIndex({
      collection_name: 'ivf',
      field_name: 'v',
      index_type: 'HNSW',
      metric_type: 'HAMMING',
      params: { M: 8, efConstruction: 64 },
    });
    assert.equal(badMetric.code, 1100);
    const diskann = await client.createIndex({
      collection_name: 'ivf',
      field_name: 'v',
      index_type: 'DISKANN',
      metric_type: 'L2',
    });
    assert.match(diskann.reason, /not available in Quiver yet/);
  });

  test('HNSW: built for existing sealed segments, progress reported, recall ≥ 0.95, ef < k refused', async () => {
    const created = await client.createIndex({
      collection_name: 'hnsw',
      field_name: 'v',
      index_type: 'HNSW',
      metric_type: 'L2',
      params: { M: 16, efConstruction: 100 },
    });
    assert.equal(created.error_code, 'Success', created.reason);
    const index = await waitForIndex(client, 'hnsw', 'v');
    assert.equal(Number(index.indexed_rows), ROWS);
    assert.equal(Number(index.total_rows), ROWS);
    assert.equal(Number(index.pending_index_rows), 0);
    const { recall } = await recallOf(client, 'hnsw', { ef: 64 });
    assert.ok(recall >= 0.95, `recall@10 ${recall}`);
    const tooSmall = await client.search({
      collection_name: 'hnsw',
      data: [queries[0]!],
      limit: 10,
      params: { ef: 5 },
    });
    assert.equal(tooSmall.status.code, 65535);
    assert.equal(tooSmall.status.reason, 'ef(5) should be larger than k(10)');
    assert.ok(server.logLines.some((line) => line.includes('vector index built')));
    const metrics = await (await fetch(`http://127.0.0.1:${server.metricsPort}/metrics`)).text();
    assert.match(metrics, /quiver_vector_index_segments\{state="ready"\} 1\b/);
    assert.match(metrics, /quiver_vector_index_builds_total 1\b/);
    assert.match(metrics, /quiver_kernel_memory_bytes\{use="vector_indexes"\} [1-9]\d*/);
  });

  test('IVF_FLAT with nprobe = nlist returns the exact answer', async () => {
    const created = await client.createIndex({
      collection_name: 'ivf',
      field_name: 'v',
      index_type: 'IVF_FLAT',
      metric_type: 'L2',
      params: { nlist: 32 },
    });
    assert.equal(created.error_code, 'Success', created.reason);
    await waitForIndex(client, 'ivf', 'v');
    const exhaustive = await recallOf(client, 'ivf', { nprobe: 32 });
    assert.equal(exhaustive.recall, 1);
    const probed = await recallOf(client, 'ivf', { nprobe: 4 });
    assert.ok(probed.recall >= 0.9, `recall@10 at nprobe 4: ${probed.recall}`);
    // One list per query cannot see every neighbour: proof that the index, not a scan, answered.
    const oneList = await recallOf(client, 'ivf', { nprobe: 1 });
    assert.ok(oneList.recall < 1, `recall@10 at nprobe 1: ${oneList.recall}`);
  });

  test('IVF_SQ8, IVF_PQ and BIN_IVF_FLAT build and answer through the SDK', async () => {
    // Quantized scores are approximate, so recall is below IVF_FLAT's. Documented expectations on
    // this clustered data with every list probed (measured 0.955 and 0.79): SQ8 ≥ 0.9, PQ ≥ 0.7.
    for (const [collection_name, index_type, params, floor] of [
      ['sq8', 'IVF_SQ8', { nlist: 16 }, 0.9],
      ['pq', 'IVF_PQ', { nlist: 16, m: 8, nbits: 8 }, 0.7],
    ] as const) {
      await client.createCollection({
        collection_name,
        fields: [
          { name: 'id', data_type: DataType.Int64, is_primary_key: true },
          { name: 'v', data_type: DataType.FloatVector, dim: DIM },
        ],
      });
      await client.loadCollection({ collection_name });
      await client.insert({ collection_name, data: rows });
      await client.flushSync({ collection_names: [collection_name] });
      const created = await client.createIndex({
        collection_name,
        field_name: 'v',
        index_type,
        metric_type: 'L2',
        params,
      });
      assert.equal(created.error_code, 'Success', created.reason);
      await waitForIndex(client, collection_name, 'v');
      const { recall } = await recallOf(client, collection_name, { nprobe: 16 });
      assert.ok(recall >= floor, `${index_type} recall@10 ${recall}`);
    }

    const bits = (id: number) => Array.from({ length: 32 }, (_, b) => ((id * 2654435761) >>> b) & 1);
    await client.createCollection({
      collection_name: 'bin',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'b', data_type: DataType.BinaryVector, dim: 32 },
      ],
    });
    await client.loadCollection({ collection_name: 'bin' });
    const packed = (id: number) => {
      const out: number[] = [];
      const v = bits(id);
      for (let i = 0; i < 32; i += 8) out.push(v.slice(i, i + 8).reduce((byte, bit) => (byte << 1) | bit, 0));
      return out;
    };
    await client.insert({
      collection_name: 'bin',
      data: Array.from({ length: 1000 }, (_, id) => ({ id, b: packed(id) })),
    });
    await client.flushSync({ collection_names: ['bin'] });
    const exactBefore = await client.search({
      collection_name: 'bin',
      data: [packed(3)],
      limit: 10,
      metric_type: 'HAMMING',
    });
    const created = await client.createIndex({
      collection_name: 'bin',
      field_name: 'b',
      index_type: 'BIN_IVF_FLAT',
      metric_type: 'HAMMING',
      params: { nlist: 8 },
    });
    assert.equal(created.error_code, 'Success', created.reason);
    await waitForIndex(client, 'bin', 'b');
    const exhaustive = await client.search({
      collection_name: 'bin',
      data: [packed(3)],
      limit: 10,
      metric_type: 'HAMMING',
      params: { nprobe: 8 },
    });
    assert.deepEqual(
      exhaustive.results.map((hit) => [hit.id, hit.score]),
      exactBefore.results.map((hit) => [hit.id, hit.score]),
    );
  });

  test('a filter that leaves few rows still returns every match (exact path)', async () => {
    const result = await client.search({
      collection_name: 'hnsw',
      data: [queries[0]!],
      limit: 10,
      filter: 'id in [5, 17, 1234, 3999]',
      params: { ef: 16 },
    });
    assert.deepEqual(
      result.results.map((hit) => Number(hit.id)).sort((a, b) => a - b),
      [5, 17, 1234, 3999],
    );
  });

  test('searches and inserts keep working while an index builds', async () => {
    await client.createCollection({
      collection_name: 'busy',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'v', data_type: DataType.FloatVector, dim: DIM },
      ],
    });
    await client.loadCollection({ collection_name: 'busy' });
    const many = Array.from({ length: 20_000 }, (_, id) => ({ id, v: rows[id % ROWS]!.v }));
    for (let start = 0; start < many.length; start += 5000) {
      await client.insert({ collection_name: 'busy', data: many.slice(start, start + 5000) });
    }
    await client.flushSync({ collection_names: ['busy'] });
    await client.createIndex({
      collection_name: 'busy',
      field_name: 'v',
      index_type: 'HNSW',
      metric_type: 'L2',
      params: { M: 16, efConstruction: 200 },
    });
    let nextId = 100_000;
    let rounds = 0;
    for (;;) {
      const [searched, inserted] = await Promise.all([
        client.search({ collection_name: 'busy', data: [queries[rounds % 20]!], limit: 5 }),
        client.insert({ collection_name: 'busy', data: [{ id: nextId++, v: queries[0]! }] }),
      ]);
      assert.equal(searched.status.error_code, 'Success', searched.status.reason);
      assert.equal(searched.results.length, 5);
      assert.equal(inserted.status.error_code, 'Success', inserted.status.reason);
      rounds++;
      const index = (await client.describeIndex({ collection_name: 'busy', field_name: 'v' }))
        .index_descriptions[0]!;
      if (index.state === 'Finished') break;
      assert.equal(index.state, 'InProgress');
      assert.ok(Number(index.pending_index_rows) > 0);
    }
    const count = await client.count({ collection_name: 'busy' });
    assert.equal(Number(count.data), 20_000 + rounds);
    // The rows inserted meanwhile seal into a segment of their own, which gets its index too.
    await client.flushSync({ collection_names: ['busy'] });
    const final = await waitForIndex(client, 'busy', 'v');
    assert.equal(Number(final.indexed_rows), 20_000 + rounds);
  });

  test('after a restart the indexes are loaded from their files, not rebuilt, with the same results', async () => {
    const before = await recallOf(client, 'hnsw', { ef: 64 });
    assert.equal(await server.stop(), 0);
    server = await startQuiver({ dataDir: server.dataDir });
    await client.closeConnection();
    client = connectClient(server.address);
    await waitForIndex(client, 'hnsw', 'v');
    await waitForIndex(client, 'ivf', 'v');
    await waitForIndex(client, 'busy', 'v');
    const afterRestart = await recallOf(client, 'hnsw', { ef: 64 });
    assert.deepEqual(afterRestart.ids, before.ids);
    assert.deepEqual(
      server.logLines.filter((line) => line.includes('vector index built') || line.includes('unusable')),
      [],
    );
    // hnsw, ivf, sq8, pq, bin and busy's two segments.
    assert.equal(server.logLines.filter((line) => line.includes('vector index loaded')).length, 7);
  });

  test("the SDK's quick create (AUTOINDEX, COSINE, loaded) builds HNSW for sealed data", async () => {
    const created = await client.createCollection({ collection_name: 'quick', dimension: DIM });
    assert.equal(created.error_code, 'Success', created.reason);
    await client.insert({
      collection_name: 'quick',
      data: rows.slice(0, 500).map((r) => ({ id: r.id, vector: r.v })),
    });
    await client.flushSync({ collection_names: ['quick'] });
    const index = await waitForIndex(client, 'quick', 'vector');
    assert.equal(Number(index.indexed_rows), 500);
    const params = Object.fromEntries(index.params.map((p) => [p.key, p.value]));
    assert.equal(params.index_type, 'AUTOINDEX');
    assert.equal(params.metric_type, 'COSINE');
    const result = await client.search({
      collection_name: 'quick',
      data: [rows[7]!.v],
      limit: 3,
      params: { level: 2 },
    });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    assert.equal(Number(result.results[0]!.id), 7);
    assert.ok(Math.abs(result.results[0]!.score - 1) < 1e-5);
  });

  test('dropping the index frees it; search stays exact and correct', async () => {
    const dropped = await client.dropIndex({ collection_name: 'ivf', field_name: 'v' });
    assert.equal(dropped.error_code, 'Success', dropped.reason);
    const exact = await recallOf(client, 'ivf', {});
    assert.equal(exact.recall, 1);
  });
});
