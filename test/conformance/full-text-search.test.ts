import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, FunctionType, type MilvusClient, RRFRanker } from '@zilliz/milvus2-sdk-node';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir, startQuiver } from '../helpers/quiver-process.js';

// BM25 full-text search through the Node SDK: a BM25 function fills the sparse field from the text
// at insert; text queries are scored against a reference BM25 written here (corpus statistics over
// the live rows: inserts and deletes count at once).
const docs = [
  'the quick brown fox jumps over the lazy dog',
  'a quick brown dog outpaces a quick fox',
  'lazy afternoons with a lazy dog',
  'foxes are quick and clever animals',
  'the dog sleeps all day long',
  'brown bears and brown foxes in the forest',
  'vector databases answer similarity queries quickly',
  'full text search scores documents with bm25',
  'the fox the fox the fox',
  'nothing in common here at all',
];

const tokens = (text: string): string[] => text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];

function referenceBm25(query: string, live: Map<number, string>, k1 = 1.2, b = 0.75) {
  const docTokens = new Map([...live].map(([id, text]) => [id, tokens(text)]));
  const n = docTokens.size;
  const avgdl = [...docTokens.values()].reduce((s, t) => s + t.length, 0) / n;
  const queryCounts = new Map<string, number>();
  for (const t of tokens(query)) queryCounts.set(t, (queryCounts.get(t) ?? 0) + 1);
  const scores: Array<{ id: number; score: number }> = [];
  for (const [id, words] of docTokens) {
    let score = 0;
    for (const [term, qtf] of queryCounts) {
      const tf = words.filter((w) => w === term).length;
      if (tf === 0) continue;
      const df = [...docTokens.values()].filter((ws) => ws.includes(term)).length;
      const idf = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      score += (qtf * idf * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * words.length) / avgdl));
    }
    if (score > 0) scores.push({ id, score });
  }
  return scores.sort((x, y) => y.score - x.score || x.id - y.id);
}

describe('BM25 full-text search through the Node SDK', () => {
  let server: QuiverProcess;
  let client: MilvusClient;
  const live = new Map(docs.map((text, id) => [id, text]));

  before(async () => {
    server = await startQuiver();
    client = connectClient(server.address);
    const created = await client.createCollection({
      collection_name: 'articles',
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'text', data_type: DataType.VarChar, max_length: 256, enable_analyzer: true },
        { name: 'sparse', data_type: DataType.SparseFloatVector },
        { name: 'dense', data_type: DataType.FloatVector, dim: 2 },
      ],
      functions: [
        {
          name: 'text_bm25',
          type: FunctionType.BM25,
          input_field_names: ['text'],
          output_field_names: ['sparse'],
          params: {},
        },
      ],
    });
    assert.equal(created.error_code, 'Success', created.reason);
    await client.loadCollection({ collection_name: 'articles' });
    const inserted = await client.insert({
      collection_name: 'articles',
      data: docs.map((text, id) => ({ id, text, dense: [id, 1] })),
    });
    assert.equal(inserted.status.error_code, 'Success', inserted.status.reason);
    // Sealed: searched through the segment's inverted index (MaxScore); later inserts stay growing.
    await client.flushSync({ collection_names: ['articles'] });
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  async function textSearch(query: string, limit: number) {
    const result = await client.search({
      collection_name: 'articles',
      anns_field: 'sparse',
      data: [query],
      limit,
      output_fields: ['text'],
    });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    return result.results as unknown as Array<{ id: string; score: number; text: string }>;
  }

  test('text queries are scored by BM25 as the reference computes it', async () => {
    for (const query of ['quick fox', 'lazy dog', 'brown brown bears', 'bm25 search']) {
      const hits = await textSearch(query, 5);
      const expected = referenceBm25(query, live).slice(0, 5);
      assert.deepEqual(
        hits.map((h) => h.score.toFixed(4)),
        expected.map((e) => e.score.toFixed(4)),
        query,
      );
      for (const hit of hits) {
        const own = referenceBm25(query, live).find((e) => e.id === Number(hit.id))!;
        assert.ok(Math.abs(own.score - hit.score) < 1e-4);
        assert.equal(hit.text, live.get(Number(hit.id)));
      }
    }
    assert.deepEqual(await textSearch('zebra', 5), []);
  });

  test('deletes and inserts update the corpus statistics at once', async () => {
    await client.delete({ collection_name: 'articles', filter: 'id in [0, 8]' });
    live.delete(0);
    live.delete(8);
    await client.insert({
      collection_name: 'articles',
      data: [{ id: 10, text: 'a fox and a fox and a dog', dense: [10, 1] }],
    });
    live.set(10, 'a fox and a fox and a dog');
    const hits = await textSearch('fox dog', 10);
    const expected = referenceBm25('fox dog', live).slice(0, 10);
    assert.deepEqual(
      hits.map((h) => [Number(h.id), h.score.toFixed(4)]),
      expected.map((e) => [e.id, e.score.toFixed(4)]),
    );
  });

  test('hybrid search of a dense request and a BM25 text request', async () => {
    const result = await client.hybridSearch({
      collection_name: 'articles',
      data: [
        { data: [[3, 1]], anns_field: 'dense', params: { metric_type: 'L2' } },
        { data: ['quick fox'] as never, anns_field: 'sparse' },
      ],
      rerank: RRFRanker(60),
      limit: 3,
    });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    const hits = result.results as unknown as Array<{ id: string; score: number }>;
    assert.equal(hits.length, 3);
    // Row 3 is the nearest dense vector and a strong text match: it ranks first.
    assert.equal(hits[0]!.id, '3');
  });

  test('RunAnalyzer: Milvus analyzers by parameters or by field, with details and hashes', async () => {
    const english = await client.runAnalyzer({
      analyzer_params: { type: 'english' },
      text: ['Milvus is a vector database built for scale'],
    });
    assert.equal(english.status.error_code, 'Success', english.status.reason);
    assert.deepEqual(
      english.results[0]!.tokens.map((t) => t.token),
      ['milvus', 'vector', 'databas', 'built', 'scale'],
    );
    const detailed = await client.runAnalyzer({
      collection_name: 'articles',
      field_name: 'text',
      text: ['Café au lait'],
      with_detail: true,
      with_hash: true,
    });
    const tokens = detailed.results[0]!.tokens;
    assert.deepEqual(
      tokens.map((t) => [t.token, Number(t.start_offset), Number(t.end_offset), Number(t.position)]),
      [
        ['café', 0, 5, 0],
        ['au', 6, 8, 1],
        ['lait', 9, 13, 2],
      ],
    );
    assert.ok(tokens.every((t) => Number(t.hash) > 0));
    const bad = await client.runAnalyzer({ analyzer_params: { tokenizer: 'nope' }, text: ['x'] });
    assert.equal(bad.status.code, 1100);
    assert.match(bad.status.reason, /unsupported tokenizer: nope/);
  });

  test('text search on a field that is not a BM25 output is refused', async () => {
    const result = await client.search({
      collection_name: 'articles',
      anns_field: 'dense',
      data: [[1, 1]],
      limit: 3,
      metric_type: 'BM25',
    });
    assert.equal(result.status.code, 1100);
  });
});
