import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { DataType, type MilvusClient, type RowData } from '@zilliz/milvus2-sdk-node';
import { seededRandom } from '../../src/kernels/seeded-random.js';
import { connectClient } from '../helpers/milvus-client.js';
import { type QuiverProcess, removeDir } from '../helpers/quiver-process.js';
import { startBuiltQuiver } from '../helpers/start-built-quiver.js';

/*
 * Query, Get, Count and Delete through the Node SDK against a model of what was written: paging in
 * primary-key order, the result-window cap, count(*) with filters and partitions, dynamic keys,
 * template values, delete counts and partition scoping, and the errors Milvus reports.
 */

interface ModelRow {
  id: number;
  score: number;
  name: string;
  partition: string;
  color?: string;
}

const ITEMS = 'items';
const PARTITIONS = ['_default', 'p1', 'p2'];
const ROWS = 600;

function shuffled<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Go and C++ compare strings bytewise: the order of the UTF-8 encodings. */
function utf8Compare(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

describe('query, get, count and delete through the Node SDK', () => {
  let server: QuiverProcess;
  let client: MilvusClient;
  const model = new Map<number, ModelRow>();
  const random = seededRandom(4242);

  const live = (predicate: (row: ModelRow) => boolean = () => true) =>
    [...model.values()].filter(predicate).sort((a, b) => a.id - b.id);

  const query = async (request: Record<string, unknown>) => {
    const result = await client.query({ collection_name: ITEMS, ...request });
    assert.equal(result.status.error_code, 'Success', result.status.reason);
    return result.data;
  };

  const countOf = async (request: Record<string, unknown> = {}) => {
    const rows = await query({ output_fields: ['count(*)'], ...request });
    assert.equal(rows.length, 1);
    return Number(rows[0]!['count(*)']);
  };

  before(async () => {
    server = await startBuiltQuiver();
    client = connectClient(server.address);
    const created = await client.createCollection({
      collection_name: ITEMS,
      fields: [
        { name: 'id', data_type: DataType.Int64, is_primary_key: true },
        { name: 'score', data_type: DataType.Int32 },
        { name: 'name', data_type: DataType.VarChar, max_length: 32 },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
      ],
      enable_dynamic_field: true,
    });
    assert.equal(created.error_code, 'Success', created.reason);
    const words = await client.createCollection({
      collection_name: 'words',
      fields: [
        { name: 'pk', data_type: DataType.VarChar, is_primary_key: true, max_length: 32 },
        { name: 'v', data_type: DataType.FloatVector, dim: 2 },
      ],
    });
    assert.equal(words.error_code, 'Success', words.reason);
    for (const collection_name of [ITEMS, 'words']) await client.loadCollection({ collection_name });
    for (const partition_name of ['p1', 'p2']) {
      const made = await client.createPartition({ collection_name: ITEMS, partition_name });
      assert.equal(made.error_code, 'Success', made.reason);
    }
    // Keys arrive out of order, over several requests and partitions; half are flushed to
    // segments, the rest stay in growing segments, so ordering must hold across both.
    const ids = shuffled(
      Array.from({ length: ROWS }, (_, i) => i * 7 - 1000),
      random,
    );
    for (let start = 0; start < ids.length; start += 50) {
      const batch = ids.slice(start, start + 50);
      const partition = PARTITIONS[(start / 50) % 3]!;
      const rows = batch.map((id) => {
        const row: ModelRow = {
          id,
          score: Math.floor(random() * 100),
          name: `n${Math.floor(random() * 20)}`,
          partition,
        };
        if (random() < 0.4) row.color = random() < 0.5 ? 'red' : 'blue';
        return row;
      });
      const result = await client.insert({
        collection_name: ITEMS,
        partition_name: partition,
        data: rows.map(
          (r): RowData => ({
            id: r.id,
            score: r.score,
            name: r.name,
            v: [r.id, 1],
            ...(r.color === undefined ? {} : { color: r.color }),
          }),
        ),
      });
      assert.equal(result.status.error_code, 'Success', result.status.reason);
      for (const row of rows) model.set(row.id, row);
      if (start === 250) await client.flushSync({ collection_names: [ITEMS] });
    }
  });

  after(async () => {
    await client.closeConnection();
    await server.stop();
    await removeDir(server.dataDir);
  });

  test('limit/offset pages cover every match once, in ascending primary-key order', async () => {
    const all = live().map((r) => String(r.id));
    const paged: string[] = [];
    for (let offset = 0; offset < all.length + 70; offset += 70) {
      const page = await query({ filter: 'score >= 0', output_fields: ['id'], limit: 70, offset });
      assert.ok(page.length <= 70);
      paged.push(...page.map((r) => r.id as string));
    }
    assert.deepEqual(paged, all);

    const low = live((r) => r.score < 30);
    const lowPaged: Array<Record<string, unknown>> = [];
    for (let offset = 0; offset < low.length; offset += 17) {
      lowPaged.push(
        ...(await query({ filter: 'score < 30', output_fields: ['score', 'name'], limit: 17, offset })),
      );
    }
    assert.deepEqual(
      lowPaged,
      low.map((r) => ({ id: String(r.id), score: r.score, name: r.name })),
    );

    // An empty filter is allowed with a limit, and pages the whole collection.
    const firstTen = await query({ filter: '', output_fields: ['id'], limit: 10, offset: 5 });
    assert.deepEqual(
      firstTen.map((r) => r.id),
      all.slice(5, 15),
    );
    // Without a limit, a filter returns every match, also sorted.
    const unlimited = await query({ filter: 'score >= 90', output_fields: ['id'] });
    assert.deepEqual(
      unlimited.map((r) => r.id),
      live((r) => r.score >= 90).map((r) => String(r.id)),
    );
  });

  test('VarChar primary keys page in bytewise (UTF-8) order, as Milvus compares strings', async () => {
    // U+FF21 (3 UTF-8 bytes) sorts before U+1F600 (4 bytes) in UTF-8 but after it in UTF-16.
    const keys = [
      'b',
      'a',
      'B',
      'ab',
      'a b',
      '',
      'é',
      'z',
      '名',
      'Ａ',
      '😀',
      '\u{10000}',
      '~',
      '0',
      '10',
      '9',
    ];
    const inserted = await client.insert({
      collection_name: 'words',
      data: keys.map((pk, i) => ({ pk, v: [i, 0] })),
    });
    assert.equal(inserted.status.error_code, 'Success', inserted.status.reason);
    const expected = [...keys].sort(utf8Compare);
    const pages: string[] = [];
    for (let offset = 0; offset < keys.length; offset += 5) {
      const page = await client.query({
        collection_name: 'words',
        filter: '',
        output_fields: ['pk'],
        limit: 5,
        offset,
      });
      assert.equal(page.status.error_code, 'Success', page.status.reason);
      pages.push(...page.data.map((r) => r.pk as string));
    }
    assert.deepEqual(pages, expected);
    // Filters compare VarChar values in the same order.
    for (const bound of ['名', 'Ａ', 'a']) {
      const above = await client.query({
        collection_name: 'words',
        filter: `pk > "${bound}"`,
        output_fields: ['pk'],
      });
      assert.equal(above.status.error_code, 'Success', above.status.reason);
      assert.deepEqual(
        above.data.map((r) => r.pk as string).sort(utf8Compare),
        expected.filter((key) => utf8Compare(key, bound) > 0),
        `pk > "${bound}"`,
      );
    }
  });

  test('offset + limit is capped at 16,384, as Milvus caps the query result window', async () => {
    const atCap = await client.query({
      collection_name: ITEMS,
      filter: 'score >= 0',
      limit: 16384,
      output_fields: ['id'],
    });
    assert.equal(atCap.status.error_code, 'Success', atCap.status.reason);
    assert.equal(atCap.data.length, model.size);
    const edge = await client.query({ collection_name: ITEMS, filter: '', limit: 384, offset: 16000 });
    assert.equal(edge.status.error_code, 'Success', edge.status.reason);
    assert.deepEqual(edge.data, []);

    for (const [limit, offset, depth] of [
      [16385, 0, 16385],
      [385, 16000, 16385],
      [1, 16384, 16385],
    ] as const) {
      const over = await client.query({ collection_name: ITEMS, filter: 'score >= 0', limit, offset });
      assert.equal(over.status.code, 1100, over.status.reason);
      assert.match(
        over.status.reason,
        new RegExp(
          `invalid max query result window, \\(offset\\+limit\\) should be in range \\[1, 16384\\], but got ${depth}`,
        ),
      );
      assert.deepEqual(over.data, []);
    }
  });

  test('limit 0 and a negative offset are refused with the messages Milvus gives', async () => {
    // proxy validateMaxQueryResultWindow: offset < 0 and limit <= 0 have their own messages.
    const zero = await client.query({ collection_name: ITEMS, filter: 'score >= 0', limit: 0 });
    assert.equal(zero.status.code, 1100);
    assert.match(
      zero.status.reason,
      /invalid max query result window, limit \[0\] is invalid, should be greater than 0/,
    );
    const negative = await client.query({
      collection_name: ITEMS,
      filter: 'score >= 0',
      limit: 5,
      offset: -1,
    });
    assert.equal(negative.status.code, 1100);
    assert.match(
      negative.status.reason,
      /invalid max query result window, offset \[-1\] is invalid, should be gte than 0/,
    );
  });

  test('an offset without a limit is ignored, as Milvus reads offset only with a limit', async () => {
    // proxy parseQueryParams returns early (offset 0) when query_params carry no limit.
    const rows = await query({ filter: 'score < 20', output_fields: ['id'], offset: 5 });
    assert.deepEqual(
      rows.map((r) => r.id),
      live((r) => r.score < 20).map((r) => String(r.id)),
    );
    assert.equal(await countOf({ filter: 'score < 20', offset: 5 }), live((r) => r.score < 20).length);
  });

  test('an empty filter needs a limit, except for count(*)', async () => {
    const empty = await client.query({ collection_name: ITEMS, filter: '', output_fields: ['id'] });
    assert.equal(empty.status.code, 1100);
    assert.equal(empty.status.error_code, 'IllegalArgument');
    assert.match(empty.status.reason, /^empty expression should be used with limit/);
    assert.equal(await countOf({ filter: '' }), model.size);
    const counted = await client.count({ collection_name: ITEMS });
    assert.equal(counted.data, model.size);
  });

  test('count(*) honours the filter and partition_names', async () => {
    assert.equal(await countOf({ filter: 'score < 50' }), live((r) => r.score < 50).length);
    const counted = await client.count({ collection_name: ITEMS, expr: 'name == "n3" or score > 80' });
    assert.equal(counted.data, live((r) => r.name === 'n3' || r.score > 80).length);
    for (const names of [['p1'], ['p2', '_default'], ['p1', 'p2']]) {
      assert.equal(
        await countOf({ partition_names: names }),
        live((r) => names.includes(r.partition)).length,
        `count of ${names}`,
      );
      assert.equal(
        await countOf({ partition_names: names, filter: 'score < 40' }),
        live((r) => names.includes(r.partition) && r.score < 40).length,
        `filtered count of ${names}`,
      );
    }
    const rows = await query({ partition_names: ['p2'], filter: 'score < 10', output_fields: ['id'] });
    assert.deepEqual(
      rows.map((r) => r.id),
      live((r) => r.partition === 'p2' && r.score < 10).map((r) => String(r.id)),
    );
    const missing = await client.query({
      collection_name: ITEMS,
      output_fields: ['count(*)'],
      partition_names: ['nowhere'],
    });
    assert.equal(missing.status.code, 200);
    assert.match(missing.status.reason, /partition not found\[partition=nowhere\]/);
    const paged = await client.query({ collection_name: ITEMS, output_fields: ['count(*)'], limit: 10 });
    assert.equal(paged.status.code, 1100);
    assert.match(paged.status.reason, /count entities with pagination is not allowed/);
  });

  test('dynamic keys: returned under $meta when asked for by name, and usable in filters', async () => {
    const rows = await query({ filter: 'score < 25', output_fields: ['color', 'score'] });
    assert.deepEqual(
      rows,
      live((r) => r.score < 25).map((r) => ({
        id: String(r.id),
        score: r.score,
        $meta: r.color === undefined ? {} : { color: r.color },
      })),
    );
    const red = await query({ filter: 'color == "red"', output_fields: ['id'] });
    assert.deepEqual(
      red.map((r) => r.id),
      live((r) => r.color === 'red').map((r) => String(r.id)),
    );
    assert.equal(
      await countOf({ filter: 'exists color and score >= 50' }),
      live((r) => r.color !== undefined && r.score >= 50).length,
    );
  });

  test('template values (exprValues) fill {placeholders} in query, count and delete', async () => {
    const someIds = live()
      .filter((_, i) => i % 9 === 0)
      .map((r) => r.id);
    const rows = await query({
      filter: 'id in {ids} and score >= {min} and name != {skip}',
      exprValues: { ids: someIds, min: 20, skip: 'n1' },
      output_fields: ['id'],
    });
    assert.deepEqual(
      rows.map((r) => r.id),
      live((r) => someIds.includes(r.id) && r.score >= 20 && r.name !== 'n1').map((r) => String(r.id)),
    );
    const missingValue = await client.query({
      collection_name: ITEMS,
      filter: 'score == {s}',
      exprValues: {},
    });
    assert.equal(missingValue.status.code, 1100);
    assert.match(
      missingValue.status.reason,
      /the value of expression template variable name \{s\} is not found/,
    );

    const doomed = live((r) => r.name === 'n7' && r.score < 60);
    assert.ok(doomed.length > 0, 'the seed gives rows to delete');
    const deleted = await client.delete({
      collection_name: ITEMS,
      filter: 'name == {n} and score < {s}',
      exprValues: { n: 'n7', s: 60 },
    });
    assert.equal(deleted.status.error_code, 'Success', deleted.status.reason);
    assert.equal(deleted.delete_cnt, String(doomed.length));
    for (const row of doomed) model.delete(row.id);
    assert.equal(await countOf({ filter: 'name == "n7"' }), live((r) => r.name === 'n7').length);
  });

  test('delete by filter reports delete_cnt, removes exactly the matches, and is idempotent', async () => {
    const doomed = live((r) => r.score >= 95 || r.name === 'n0');
    assert.ok(doomed.length > 0);
    const before = await client.count({ collection_name: ITEMS });
    const deleted = await client.delete({ collection_name: ITEMS, filter: 'score >= 95 or name == "n0"' });
    assert.equal(deleted.status.error_code, 'Success', deleted.status.reason);
    assert.equal(deleted.delete_cnt, String(doomed.length));
    const deletedIds = (deleted.IDs as unknown as { int_id: { data: string[] } }).int_id.data;
    assert.deepEqual(
      [...deletedIds].sort((a, b) => Number(a) - Number(b)),
      doomed.map((r) => String(r.id)),
    );
    for (const row of doomed) model.delete(row.id);
    assert.equal((await client.count({ collection_name: ITEMS })).data, before.data - doomed.length);
    assert.deepEqual(await query({ filter: 'score >= 95 or name == "n0"', output_fields: ['id'] }), []);
    const got = await client.get({ collection_name: ITEMS, ids: doomed.slice(0, 5).map((r) => r.id) });
    assert.deepEqual(got.data, []);

    const again = await client.delete({ collection_name: ITEMS, filter: 'score >= 95 or name == "n0"' });
    assert.equal(again.status.error_code, 'Success', again.status.reason);
    assert.equal(again.delete_cnt, '0');

    // Delete by ids (the SDK sends `id in [...]`); get() of the survivors still works.
    const byIds = live().slice(0, 3);
    const removed = await client.delete({ collection_name: ITEMS, ids: byIds.map((r) => r.id) });
    assert.equal(removed.status.error_code, 'Success', removed.status.reason);
    for (const row of byIds) model.delete(row.id);
    const next = live().slice(0, 3);
    const survivors = await client.get({
      collection_name: ITEMS,
      ids: [...byIds, ...next].map((r) => r.id),
      output_fields: ['score'],
    });
    assert.deepEqual(
      survivors.data,
      next.map((r) => ({ id: String(r.id), score: r.score })),
    );
    assert.equal(await countOf(), model.size);
  });

  test('delete with partition_name touches only that partition', async () => {
    const inP1 = live((r) => r.partition === 'p1' && r.score < 30);
    const elsewhere = live((r) => r.partition !== 'p1' && r.score < 30);
    assert.ok(inP1.length > 0 && elsewhere.length > 0);
    const deleted = await client.delete({
      collection_name: ITEMS,
      partition_name: 'p1',
      filter: 'score < 30',
    });
    assert.equal(deleted.status.error_code, 'Success', deleted.status.reason);
    assert.equal(deleted.delete_cnt, String(inP1.length));
    for (const row of inP1) model.delete(row.id);
    assert.deepEqual(
      (await query({ filter: 'score < 30', output_fields: ['id'] })).map((r) => r.id),
      elsewhere.map((r) => String(r.id)),
    );
    assert.equal(await countOf({ partition_names: ['p1'] }), live((r) => r.partition === 'p1').length);
    assert.equal(await countOf(), model.size);
  });

  test('deletes survive flush and restart; counts and pages still match the model', async () => {
    await client.flushSync({ collection_names: [ITEMS] });
    const deleted = await client.delete({ collection_name: ITEMS, filter: 'score == 42' }); // WAL only
    assert.equal(deleted.status.error_code, 'Success', deleted.status.reason);
    for (const row of live((r) => r.score === 42)) model.delete(row.id);
    await client.closeConnection();
    assert.equal(await server.stop(), 0);
    server = await startBuiltQuiver({ dataDir: server.dataDir });
    client = connectClient(server.address);
    assert.equal(await countOf(), model.size);
    const rows = await query({ filter: '', output_fields: ['score', 'name', 'color'], limit: 16384 });
    assert.deepEqual(
      rows,
      live().map((r) => ({
        id: String(r.id),
        score: r.score,
        name: r.name,
        $meta: r.color === undefined ? {} : { color: r.color },
      })),
    );
    for (const partition of PARTITIONS) {
      assert.equal(
        await countOf({ partition_names: [partition] }),
        live((r) => r.partition === partition).length,
      );
    }
  });

  test('errors: missing collection, malformed filter, unknown field without the dynamic field', async () => {
    const missing = await client.query({ collection_name: 'ghost', filter: 'id > 0' });
    assert.equal(missing.status.code, 100);
    assert.equal(missing.status.error_code, 'CollectionNotExists');
    assert.equal(missing.status.reason, 'collection not found[database=default][collection=ghost]');
    const missingDelete = await client.deleteEntities({ collection_name: 'ghost', filter: 'id > 0' });
    assert.equal(missingDelete.status.code, 100);

    const malformed = await client.query({
      collection_name: ITEMS,
      filter: '(score > 1',
      output_fields: ['id'],
    });
    assert.equal(malformed.status.code, 1100);
    // ANTLR's report with its line:column, inside Milvus's "cannot parse expression" wrapper.
    assert.match(
      malformed.status.reason,
      /cannot parse expression: \(score > 1, error: line 1:10 missing '\)' at '<EOF>'/,
    );
    const badToken = await client.query({
      collection_name: ITEMS,
      filter: 'score # 1',
      output_fields: ['id'],
    });
    assert.equal(badToken.status.code, 1100);
    assert.match(badToken.status.reason, /line 1:6 token recognition error at: '#'/);
    const badDelete = await client.delete({ collection_name: ITEMS, filter: 'score >' });
    assert.equal(badDelete.status.code, 1100);
    assert.equal(await countOf(), model.size, 'a refused delete deletes nothing');

    // 'words' has no dynamic field: an unknown name is an error, in the filter and in output_fields.
    const unknown = await client.query({
      collection_name: 'words',
      filter: 'nope > 1',
      output_fields: ['pk'],
    });
    assert.equal(unknown.status.code, 1100);
    assert.match(unknown.status.reason, /cannot parse expression: nope > 1, error: field nope not exist/);
    const unknownOutput = await client.query({
      collection_name: 'words',
      filter: 'pk != ""',
      output_fields: ['nope'],
    });
    assert.notEqual(unknownOutput.status.code, 0);
    assert.match(unknownOutput.status.reason, /field nope not exist/);
    // With the dynamic field on, the same name is a dynamic key: no error, and no rows have it.
    assert.deepEqual(await query({ filter: 'nope > 1', output_fields: ['id'] }), []);
  });
});
