import { readFileSync } from 'node:fs';
import { Command } from 'commander';
import { registerServeCommand } from './serve-command.js';

function packageVersion(): string {
  const url = new URL('../../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

/** Entry point of the `quiver` command (bin/quiver.js). */
export async function main(argv: readonly string[]): Promise<void> {
  const version = packageVersion();
  const program = new Command('quiver')
    .description('Quiver: a Milvus-compatible vector database in one Node.js process')
    .version(version, '-v, --version', 'print the Quiver version')
    .showHelpAfterError('(run "quiver --help" for usage)');
  registerServeCommand(program, version);
  program.addHelpText(
    'after',
    `
Quick start:
  quiver serve                     serve on 127.0.0.1:19530 with data in ./data
  quiver serve --data-dir /srv/q   keep data elsewhere
  quiver serve --help              every server option`,
  );
  await program.parseAsync([...argv]);
}
