import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Repository root, found from this file's compiled location (dist/test/helpers/). */
export const repositoryRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const quiverBin = join(repositoryRoot, 'bin', 'quiver.js');
/** Starts the server of the build this file was compiled into. */
export const builtQuiverLauncher = join(dirname(fileURLToPath(import.meta.url)), 'quiver-main-launcher.js');

export interface QuiverProcess {
  /** host:port of the Milvus gRPC API. */
  address: string;
  grpcPort: number;
  metricsPort: number;
  dataDir: string;
  child: ChildProcess;
  /** Every line the server logged so far (JSON strings). */
  logLines: string[];
  /** SIGTERM and wait for exit; returns the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL and wait for exit. */
  kill(): Promise<void>;
}

export interface StartOptions {
  /**
   * Script to run. Defaults to QUIVER_TEST_SERVER_ENTRY, then the launcher compiled beside this
   * file, so a private build (`tsc --outDir .build-x`) tests its own server rather than dist/.
   */
  serverEntry?: string;
  dataDir?: string;
  extraArgs?: string[];
  env?: NodeJS.ProcessEnv;
  startupTimeoutMs?: number;
}

export async function makeTempDataDir(prefix = 'quiver-test-'): Promise<string> {
  return mkdtemp(join(tmpdir(), prefix));
}

export async function removeDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Starts a real `quiver serve` process on ephemeral ports (port 0) and resolves once its startup
 * line reports the bound addresses. Rejects with the process output if it exits first.
 */
export async function startQuiver(options: StartOptions = {}): Promise<QuiverProcess> {
  const dataDir = options.dataDir ?? (await makeTempDataDir());
  const child = spawn(
    process.execPath,
    [
      options.serverEntry ?? (process.env.QUIVER_TEST_SERVER_ENTRY || builtQuiverLauncher),
      'serve',
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--metrics-port',
      '0',
      ...(options.extraArgs ?? []),
    ],
    { cwd: repositoryRoot, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logLines: string[] = [];
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', (code) => resolveExit(code)));
  const stderr: string[] = [];
  child.stderr?.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const ready = new Promise<{ grpc: string; metrics: string }>((resolveReady, rejectReady) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      logLines.push(line);
      try {
        const record = JSON.parse(line) as { grpc?: string; metrics?: string };
        if (record.grpc && record.metrics) resolveReady({ grpc: record.grpc, metrics: record.metrics });
      } catch {
        // Not JSON: keep it in logLines only.
      }
    });
    exited.then((code) =>
      rejectReady(
        new Error(`quiver exited with ${code} before serving:\n${logLines.join('\n')}\n${stderr.join('')}`),
      ),
    );
    setTimeout(
      () =>
        rejectReady(new Error(`quiver did not start in time:\n${logLines.join('\n')}\n${stderr.join('')}`)),
      options.startupTimeoutMs ?? 20_000,
    ).unref();
  });
  const { grpc, metrics } = await ready;
  const grpcPort = Number(grpc.split(':').pop());
  const metricsPort = Number(metrics.split(':').pop());
  return {
    address: `127.0.0.1:${grpcPort}`,
    grpcPort,
    metricsPort,
    dataDir,
    child,
    logLines,
    stop: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
    kill: async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}
