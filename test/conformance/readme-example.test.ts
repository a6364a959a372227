import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { type QuiverProcess, removeDir, repositoryRoot, startQuiver } from '../helpers/quiver-process.js';

const run = promisify(execFile);

let server: QuiverProcess;
before(async () => {
  server = await startQuiver();
});
after(async () => {
  await server.stop();
  await removeDir(server.dataDir);
});

test("the README's Node SDK example runs as written against a real server", async () => {
  const readme = await readFile(join(repositoryRoot, 'README.md'), 'utf8');
  const block = /## Use it from Node\.js[\s\S]*?```js\n([\s\S]*?)```/.exec(readme)?.[1];
  assert.ok(block, 'README has the Node example');
  assert.ok(block.includes("'127.0.0.1:19530'"), 'the example uses the default address');
  // The only change: the test server's ephemeral port instead of 19530.
  const script = block.replace("'127.0.0.1:19530'", `'${server.address}'`);
  // Written inside the repository so that the SDK resolves from its node_modules.
  const file = join(repositoryRoot, 'dist', 'readme-example.mjs');
  await writeFile(file, script);
  const { stdout } = await run(process.execPath, [file], { cwd: repositoryRoot, timeout: 60_000 });
  assert.match(stdout, /version: 'v2\.6\.\d+'/);
  assert.match(stdout, /books \[ 'id:Int64', 'title:VarChar', 'year:Int32', 'embedding:FloatVector' \]/);
  assert.match(stdout, /\[ '_default', 'classics' \]/);
  assert.match(stdout, /count 3/);
  // Search (nearest first) and query (primary-key order) both print Dune, then Solaris.
  assert.equal(stdout.match(/\[ 'Dune', 'Solaris' \]/g)?.length, 2);
});
