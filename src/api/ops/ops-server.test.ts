import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { Gauge } from 'prom-client';
import { createLogger } from '../../observability/logger.js';
import { Metrics } from '../../observability/metrics.js';
import type { HealthReport } from './health-report.js';
import { createOpsServer, livezBody, type OpsServer } from './ops-server.js';

const healthyReport: HealthReport = {
  healthy: true,
  components: [
    { name: 'catalog', healthy: true },
    { name: 'wal', healthy: true },
  ],
};

const unhealthyReport: HealthReport = {
  healthy: false,
  components: [
    { name: 'catalog', healthy: true },
    { name: 'wal', healthy: false, reason: 'disk full' },
    { name: 'storage', healthy: false },
  ],
};

describe('ops server on an ephemeral port', () => {
  const metrics = new Metrics();
  let report: HealthReport | (() => never) = healthyReport;
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(
        ...chunk
          .toString()
          .split('\n')
          .filter((line: string) => line.length > 0),
      );
      callback();
    },
  });
  let server: OpsServer;
  let base = '';

  before(async () => {
    server = createOpsServer({
      host: '127.0.0.1',
      port: 0,
      metrics,
      health: () => (typeof report === 'function' ? report() : report),
      logger: createLogger({ level: 'debug', destination: logStream }),
    });
    const address = await server.listen();
    assert.equal(address.host, '127.0.0.1');
    assert.ok(address.port > 0, 'port 0 must be replaced by the bound port');
    base = `http://127.0.0.1:${address.port}`;
  });

  after(async () => {
    await server.close();
  });

  test('GET /healthz answers 200 OK as text/plain when healthy', async () => {
    report = healthyReport;
    const response = await fetch(`${base}/healthz`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/plain');
    assert.equal(await response.text(), 'OK');
  });

  test('GET /healthz answers 500 with the healthy/total count when not healthy', async () => {
    report = unhealthyReport;
    const response = await fetch(`${base}/healthz`);
    assert.equal(response.status, 500);
    assert.equal(await response.text(), 'Not all components are healthy, 1/3');
  });

  test('GET /healthz with request Content-Type application/json answers Milvus JSON', async () => {
    report = healthyReport;
    const healthy = await fetch(`${base}/healthz`, { headers: { 'content-type': 'application/json' } });
    assert.equal(healthy.status, 200);
    assert.match(healthy.headers.get('content-type')!, /^application\/json/);
    assert.deepEqual(await healthy.json(), {
      state: 'OK',
      detail: [
        { name: 'catalog', code: 1 },
        { name: 'wal', code: 1 },
      ],
    });

    report = unhealthyReport;
    const unhealthy = await fetch(`${base}/healthz`, { headers: { 'content-type': 'application/json' } });
    assert.equal(unhealthy.status, 500);
    assert.deepEqual(await unhealthy.json(), {
      state: 'Not all components are healthy, 1/3',
      detail: [
        { name: 'catalog', code: 1 },
        { name: 'wal', code: 2, reason: 'disk full' },
        { name: 'storage', code: 2 },
      ],
    });
  });

  test('GET /healthz with Accept application/json also answers JSON; Accept */* does not', async () => {
    report = healthyReport;
    const json = await fetch(`${base}/healthz`, { headers: { accept: 'text/html, application/json;q=0.9' } });
    assert.equal(((await json.json()) as { state: string }).state, 'OK');
    const text = await fetch(`${base}/healthz`, { headers: { accept: '*/*' } });
    assert.equal(await text.text(), 'OK');
  });

  test('a health callback that throws makes /healthz unhealthy instead of failing the request', async () => {
    report = () => {
      throw new Error('catalog lock poisoned');
    };
    const response = await fetch(`${base}/healthz`, { headers: { 'content-type': 'application/json' } });
    assert.equal(response.status, 500);
    assert.deepEqual(await response.json(), {
      state: 'Not all components are healthy, 0/1',
      detail: [{ name: 'health-check', code: 2, reason: 'catalog lock poisoned' }],
    });
    assert.ok(logLines.some((line) => JSON.parse(line).msg === 'health check threw'));
  });

  test('a report whose verdict is unhealthy is unhealthy even if every component is healthy', async () => {
    report = { healthy: false, components: [{ name: 'catalog', healthy: true }] };
    const response = await fetch(`${base}/healthz`);
    assert.equal(response.status, 500);
    assert.equal(await response.text(), 'Not all components are healthy, 1/1');
  });

  test('GET /livez answers 200 whatever the health', async () => {
    report = unhealthyReport;
    const response = await fetch(`${base}/livez`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), livezBody);
  });

  test('GET /api/v1/health answers {"status":"ok"} when healthy and 500 when not', async () => {
    report = healthyReport;
    const healthy = await fetch(`${base}/api/v1/health`);
    assert.equal(healthy.status, 200);
    assert.deepEqual(await healthy.json(), { status: 'ok' });

    report = unhealthyReport;
    const unhealthy = await fetch(`${base}/api/v1/health`);
    assert.equal(unhealthy.status, 500);
    assert.deepEqual(await unhealthy.json(), {
      status: 'unhealthy',
      reason: 'Not all components are healthy, 1/3',
    });
  });

  test('GET /metrics and /metrics_default serve the registry as Prometheus text', async () => {
    metrics.observeRpc('CreateCollection', 'success', 0.004);
    for (const path of ['/metrics', '/metrics_default']) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-type'), 'text/plain; version=0.0.4; charset=utf-8');
      const text = await response.text();
      assert.match(text, /^process_cpu_user_seconds_total /m);
      assert.match(text, /^nodejs_heap_size_total_bytes /m);
      assert.match(text, /^quiver_rpc_requests_total\{rpc="CreateCollection",status="success"\} 1$/m);
      assert.match(text, /^quiver_rpc_latency_seconds_count\{rpc="CreateCollection",status="success"\} 1$/m);
      assert.match(text, /^# TYPE quiver_rpc_latency_seconds histogram$/m);
    }
  });

  test('unknown paths answer 404 like Go net/http', async () => {
    for (const path of ['/', '/healthz/', '/nope', '/api/v1/collections']) {
      const response = await fetch(`${base}${path}`);
      assert.equal(response.status, 404, path);
      assert.equal(await response.text(), '404 page not found\n');
    }
  });

  test('requests are logged at debug on the given logger', async () => {
    await (await fetch(`${base}/livez`)).text();
    const entries = logLines.map((line) => JSON.parse(line));
    const entry = entries.find((candidate) => candidate.msg === 'ops request' && candidate.url === '/livez');
    assert.ok(entry, 'expected a request log line');
    assert.equal(entry.level, 20);
    assert.equal(entry.component, 'ops-http');
    assert.equal(entry.statusCode, 200);
  });
});

test('two ops servers with their own Metrics run side by side and close cleanly', async () => {
  const first = new Metrics();
  const second = new Metrics();
  const servers = [first, second].map((metrics) =>
    createOpsServer({ host: '127.0.0.1', port: 0, metrics, health: () => healthyReport }),
  );
  const [a, b] = await Promise.all(servers.map((server) => server.listen()));
  try {
    assert.notEqual(a!.port, b!.port);
    first.observeRpc('Insert', 'success', 0.01);
    const firstText = await (await fetch(`http://127.0.0.1:${a!.port}/metrics`)).text();
    const secondText = await (await fetch(`http://127.0.0.1:${b!.port}/metrics`)).text();
    assert.match(firstText, /quiver_rpc_requests_total\{rpc="Insert",status="success"\} 1/);
    assert.doesNotMatch(secondText, /rpc="Insert"/);
  } finally {
    await Promise.all(servers.map((server) => server.close()));
  }
  // close() is idempotent, and the port is released.
  await servers[0]!.close();
  await assert.rejects(fetch(`http://127.0.0.1:${a!.port}/livez`));
});

test('a metric whose collection fails turns /metrics into a 500 and is logged', async () => {
  const metrics = new Metrics();
  new Gauge({
    name: 'quiver_broken',
    help: 'Fails on collection.',
    registers: [metrics.registry],
    collect() {
      throw new Error('segment stats unavailable');
    },
  });
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk, _encoding, callback) {
      logLines.push(chunk.toString());
      callback();
    },
  });
  const server = createOpsServer({
    host: '127.0.0.1',
    port: 0,
    metrics,
    health: () => healthyReport,
    logger: createLogger({ destination: logStream }),
  });
  const { port } = await server.listen();
  try {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    assert.equal(response.status, 500);
    assert.equal(await response.text(), 'segment stats unavailable\n');
    const warning = logLines
      .map((line) => JSON.parse(line))
      .find((entry) => entry.msg === 'ops request failed');
    assert.equal(warning?.level, 40);
    assert.equal(warning?.url, '/metrics');
    // The healthy routes are unaffected.
    assert.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200);
  } finally {
    await server.close();
  }
});
