import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { rpcNames } from '../../src/api/grpc/codec/milvus-proto.js';
import { implementedRpcs } from '../../src/api/grpc/grpc-server.js';
import type { QuiverService } from '../../src/service/quiver-service.js';
import { repositoryRoot } from '../helpers/quiver-process.js';

test('docs/COMPATIBILITY.md lists every RPC, and exactly the implemented ones as supported or partial', async () => {
  const text = await readFile(join(repositoryRoot, 'docs', 'COMPATIBILITY.md'), 'utf8');
  const rows = new Map<string, string>();
  for (const match of text.matchAll(/^\| (\w+) \| (supported|partial|not yet) \|/gm))
    rows.set(match[1]!, match[2]!);
  assert.deepEqual([...rows.keys()].sort(), [...rpcNames].sort(), 'one row per RPC of the descriptor');
  // The handler table is built from the service only lazily; its keys do not touch the service.
  const implemented = Object.keys(implementedRpcs({} as QuiverService)).sort();
  const documented = [...rows]
    .filter(([, state]) => state !== 'not yet')
    .map(([rpc]) => rpc)
    .sort();
  assert.deepEqual(documented, implemented);
});
