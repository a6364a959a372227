import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MetaStore } from './meta-store.js';

/** What a backend's test file hands to the contract for each test. */
export interface MetaStoreUnderTest {
  /** A new, opened, empty store. */
  store: MetaStore;
  /**
   * Persistent backends: returns a new, opened store over the state persisted so far. The contract
   * closes every store it got from this subject before calling it.
   */
  reopen?: () => Promise<MetaStore>;
  /** Releases what makeStore created (e.g. a temp directory), after all stores are closed. */
  dispose?: () => Promise<void>;
}

export interface MetaStoreContractOptions {
  /** Registers the persistence tests too; makeStore must then provide `reopen`. */
  persistent?: boolean;
}

interface Harness {
  store: MetaStore;
  /** Closes the stores opened so far and returns a reopened one (persistent backends only). */
  reopen(): Promise<MetaStore>;
}

/**
 * Registers node:test tests for the semantics every MetaStore backend must share. Call it from a
 * backend's `*.test.ts` file.
 */
export function runMetaStoreContract(
  name: string,
  makeStore: () => Promise<MetaStoreUnderTest>,
  options: MetaStoreContractOptions = {},
): void {
  const contractTest = (title: string, body: (harness: Harness) => Promise<void>) =>
    test(title, async () => {
      const subject = await makeStore();
      const opened: MetaStore[] = [subject.store];
      const reopen = async (): Promise<MetaStore> => {
        assert.ok(subject.reopen, `${name} is declared persistent but makeStore gave no reopen()`);
        for (const store of opened) await store.close();
        const store = await subject.reopen();
        opened.push(store);
        return store;
      };
      try {
        await body({ store: subject.store, reopen });
      } finally {
        for (const store of opened) await store.close();
        await subject.dispose?.();
      }
    });

  describe(`MetaStore contract: ${name}`, () => {
    contractTest('a new store is empty', async ({ store }) => {
      assert.equal(store.get('anything'), undefined);
      assert.deepEqual(store.list(''), []);
    });

    contractTest(
      'committed puts are visible through get and list once commit resolves',
      async ({ store }) => {
        await store.commit({
          put: [
            ['b', '2'],
            ['a', '1'],
          ],
        });
        assert.equal(store.get('a'), '1');
        assert.equal(store.get('b'), '2');
        assert.equal(store.get('c'), undefined);
        assert.deepEqual(store.list(''), [
          ['a', '1'],
          ['b', '2'],
        ]);
      },
    );

    contractTest('list returns exactly the keys with the prefix, sorted', async ({ store }) => {
      const keys = ['db/1/coll/2', 'db/1/coll/10', 'db/1', 'db/10/x', 'db/1/', 'db/2', 'dc', 'd', 'db0'];
      await store.commit({ put: keys.map((key) => [key, `v:${key}`]) });
      const listedKeys = (prefix: string) => store.list(prefix).map(([key]) => key);
      assert.deepEqual(listedKeys('db/1/'), ['db/1/', 'db/1/coll/10', 'db/1/coll/2']);
      assert.deepEqual(listedKeys('db/1'), ['db/1', 'db/1/', 'db/1/coll/10', 'db/1/coll/2', 'db/10/x']);
      assert.deepEqual(listedKeys('db/'), [
        'db/1',
        'db/1/',
        'db/1/coll/10',
        'db/1/coll/2',
        'db/10/x',
        'db/2',
      ]);
      assert.deepEqual(listedKeys(''), [
        'd',
        'db/1',
        'db/1/',
        'db/1/coll/10',
        'db/1/coll/2',
        'db/10/x',
        'db/2',
        'db0',
        'dc',
      ]);
      assert.deepEqual(listedKeys('db/1/coll/2'), ['db/1/coll/2']);
      assert.deepEqual(listedKeys('db/3'), []);
      assert.deepEqual(listedKeys('e'), []);
      assert.deepEqual(store.list('db/2'), [['db/2', 'v:db/2']]);
    });

    contractTest('a put overwrites the previous value', async ({ store }) => {
      await store.commit({ put: [['k', 'old']] });
      await store.commit({ put: [['k', 'new']] });
      assert.equal(store.get('k'), 'new');
      assert.deepEqual(store.list('k'), [['k', 'new']]);
    });

    contractTest('one commit applies puts, deletes and prefix deletes together', async ({ store }) => {
      await store.commit({
        put: [
          ['coll/1/name', 'a'],
          ['coll/1/schema', '{}'],
          ['coll/10/name', 'j'],
          ['coll/2/name', 'b'],
          ['alias/x', '1'],
          ['alias/y', '2'],
        ],
      });
      await store.commit({
        put: [
          ['coll/3/name', 'c'],
          ['coll/2/name', 'b2'],
        ],
        delete: ['alias/x'],
        deletePrefix: ['coll/1/'],
      });
      assert.deepEqual(store.list(''), [
        ['alias/y', '2'],
        ['coll/10/name', 'j'],
        ['coll/2/name', 'b2'],
        ['coll/3/name', 'c'],
      ]);
    });

    contractTest('within one batch puts come first, then deletes, then prefix deletes', async ({ store }) => {
      await store.commit({
        put: [
          ['k', 'put-and-deleted'],
          ['p/x', 'put-and-prefix-deleted'],
          ['dup', 'first'],
          ['dup', 'second'],
          ['kept', 'yes'],
        ],
        delete: ['k'],
        deletePrefix: ['p/'],
      });
      assert.deepEqual(store.list(''), [
        ['dup', 'second'],
        ['kept', 'yes'],
      ]);
    });

    contractTest('an empty batch resolves and changes nothing', async ({ store }) => {
      await store.commit({ put: [['a', '1']] });
      await store.commit({});
      await store.commit({ put: [], delete: [], deletePrefix: [] });
      assert.deepEqual(store.list(''), [['a', '1']]);
    });

    contractTest('deleting absent keys or prefixes is a no-op', async ({ store }) => {
      await store.commit({ put: [['a/1', '1']] });
      await store.commit({ delete: ['missing', 'a/'], deletePrefix: ['b/', 'a/1/'] });
      assert.deepEqual(store.list(''), [['a/1', '1']]);
    });

    contractTest('deletePrefix of the empty string deletes every key', async ({ store }) => {
      await store.commit({
        put: [
          ['a', '1'],
          ['b/c', '2'],
        ],
      });
      await store.commit({ deletePrefix: [''] });
      assert.deepEqual(store.list(''), []);
    });

    contractTest('unicode keys and values round-trip and keys sort by code point', async ({ store }) => {
      const entries: Array<[string, string]> = [
        ['u/\u{1F600}', 'emoji \u{1F680}'],
        ['u/\uE000', 'private use'],
        ['u/\u4e2d\u6587', '\u4e2d\u6587 value'],
        ['u/\u00e9', 'precomposed'],
        ['u/e\u0301', 'combining'],
        ['u/ctl', 'quote " backslash \\ newline \n tab \t nul \u0000 end'],
      ];
      await store.commit({ put: entries });
      for (const [key, value] of entries) assert.equal(store.get(key), value);
      // Code point order (= UTF-8 byte order, as etcd sorts), which differs from UTF-16 order for
      // U+E000 versus U+1F600.
      assert.deepEqual(
        store.list('u/').map(([key]) => key),
        ['u/ctl', 'u/e\u0301', 'u/\u00e9', 'u/\u4e2d\u6587', 'u/\uE000', 'u/\u{1F600}'],
      );
      assert.equal(store.get('u/e'), undefined);
    });

    contractTest('keys that are special on JavaScript objects are ordinary keys', async ({ store }) => {
      assert.equal(store.get('constructor'), undefined);
      assert.equal(store.get('__proto__'), undefined);
      const keys = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', '10', '9'];
      await store.commit({ put: keys.map((key) => [key, `v:${key}`]) });
      for (const key of keys) assert.equal(store.get(key), `v:${key}`);
      assert.deepEqual(
        store.list('').map(([key]) => key),
        ['10', '9', '__proto__', 'constructor', 'hasOwnProperty', 'toString'],
      );
    });

    contractTest('large values and many keys in one commit', async ({ store }) => {
      const largeValue = Array.from({ length: 1 << 16 }, (_, i) =>
        (i * 7919).toString(36).padStart(16, '.'),
      ).join('');
      assert.equal(largeValue.length, 1 << 20);
      const many: Array<[string, string]> = Array.from({ length: 2000 }, (_, i) => [
        `many/${i}`,
        `value ${i}`,
      ]);
      await store.commit({ put: [['large', largeValue], ...many] });
      assert.equal(store.get('large'), largeValue);
      assert.equal(store.list('many/').length, 2000);
      assert.equal(store.get('many/1999'), 'value 1999');
    });

    contractTest('an invalid batch rejects with TypeError and applies nothing', async ({ store }) => {
      await store.commit({ put: [['a', '1']] });
      const invalidBatches: unknown[] = [
        {
          put: [
            ['b', '2'],
            ['', 'empty key'],
          ],
        },
        {
          put: [
            ['b', '2'],
            ['c', 3],
          ],
        },
        { put: [['b', '2'], ['c']] },
        { put: [['b', '2']], delete: [7] },
        { put: [['b', '2']], deletePrefix: [null] },
        { put: [['\uD800lone', 'x']] },
        { put: [['b', 'lone \uDC00 surrogate']] },
        null,
      ];
      for (const batch of invalidBatches) {
        await assert.rejects(store.commit(batch as never), TypeError, JSON.stringify(batch));
        assert.deepEqual(store.list(''), [['a', '1']]);
      }
    });

    contractTest('concurrent commits apply in call order', async ({ store }) => {
      const commits = Array.from({ length: 20 }, (_, i) =>
        store.commit({
          put: [
            ['counter', String(i)],
            [`seen/${String(i).padStart(2, '0')}`, String(i)],
          ],
          delete: i > 0 ? [`seen/${String(i - 1).padStart(2, '0')}`] : [],
        }),
      );
      await Promise.all(commits);
      assert.equal(store.get('counter'), '19');
      assert.deepEqual(store.list('seen/'), [['seen/19', '19']]);
    });

    contractTest('list results and committed batches are copies', async ({ store }) => {
      const puts: Array<[string, string]> = [['a', '1']];
      const pending = store.commit({ put: puts });
      puts.push(['b', '2']);
      puts[0]![1] = 'changed';
      await pending;
      assert.deepEqual(store.list(''), [['a', '1']]);
      const listed = store.list('');
      listed[0]![1] = 'mutated';
      listed.push(['z', '26']);
      assert.deepEqual(store.list(''), [['a', '1']]);
    });

    contractTest('a closed store refuses use, and close is idempotent', async ({ store }) => {
      await store.commit({ put: [['a', '1']] });
      await store.close();
      await store.close();
      assert.throws(() => store.get('a'), /closed/);
      assert.throws(() => store.list(''), /closed/);
      await assert.rejects(store.commit({ put: [['b', '2']] }), /closed/);
    });

    contractTest('open on an open store rejects', async ({ store }) => {
      await assert.rejects(store.open());
      assert.deepEqual(store.list(''), []);
    });

    if (!options.persistent) return;

    contractTest(
      'reopen keeps every entry, including unicode and large values',
      async ({ store, reopen }) => {
        const largeValue = 'x\u{1F600}\n'.repeat(100_000);
        await store.commit({
          put: [
            ['db/default', '{"id":1}'],
            ['u/\u{1F600}', 'emoji'],
            ['u/\uE000', 'private use'],
            ['__proto__', 'plain'],
            ['10', 'ten'],
            ['large', largeValue],
          ],
        });
        const before = store.list('');
        const reopened = await reopen();
        assert.deepEqual(reopened.list(''), before);
        assert.equal(reopened.get('large'), largeValue);
        assert.equal(reopened.get('__proto__'), 'plain');
      },
    );

    contractTest('reopen does not bring back deleted keys', async ({ store, reopen }) => {
      await store.commit({
        put: [
          ['a', '1'],
          ['b', '2'],
          ['c/1', '3'],
          ['c/2', '4'],
        ],
      });
      await store.commit({ delete: ['a'], deletePrefix: ['c/'] });
      const reopened = await reopen();
      assert.deepEqual(reopened.list(''), [['b', '2']]);
    });

    contractTest('commits and reopens accumulate across cycles', async ({ store, reopen }) => {
      let current = store;
      for (let cycle = 0; cycle < 3; cycle++) {
        await current.commit({ put: [[`cycle/${cycle}`, String(cycle)]], delete: [`cycle/${cycle - 2}`] });
        current = await reopen();
      }
      assert.deepEqual(current.list(''), [
        ['cycle/1', '1'],
        ['cycle/2', '2'],
      ]);
    });

    contractTest('commits accepted before close are durable after it', async ({ store, reopen }) => {
      const commits = Promise.all(
        Array.from({ length: 10 }, (_, i) => store.commit({ put: [[`k/${i}`, String(i)]] })),
      );
      await store.close();
      await commits;
      const reopened = await reopen();
      assert.equal(reopened.list('k/').length, 10);
    });

    contractTest('a store that only saw empty batches reopens empty', async ({ store, reopen }) => {
      await store.commit({});
      const reopened = await reopen();
      assert.deepEqual(reopened.list(''), []);
    });
  });
}
