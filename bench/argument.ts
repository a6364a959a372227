/** The value of a `--name=value` command-line flag, or `fallback` when it is not given. */
export function argument(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  return process.argv.find((arg) => arg.startsWith(prefix))?.slice(prefix.length) ?? fallback;
}
