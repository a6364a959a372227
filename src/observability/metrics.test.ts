import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Counter } from 'prom-client';
import { QuiverError } from '../errors/index.js';
import { Metrics } from './metrics.js';
import { rpcStatusLabel } from './rpc-status-label.js';

/** The value of the sample line `name{labels} value` in a Prometheus text exposition. */
function sampleValue(text: string, sample: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${sample} `));
  return line === undefined ? undefined : Number(line.slice(sample.length + 1));
}

test('exposes default process metrics under their standard names', async () => {
  const text = await new Metrics().metricsText();
  assert.match(text, /^process_cpu_user_seconds_total \d/m);
  assert.match(text, /^process_resident_memory_bytes \d/m);
  assert.match(text, /^nodejs_heap_size_used_bytes \d/m);
  assert.match(text, /^nodejs_eventloop_lag_seconds /m);
});

test('observeRpc counts requests and records latency by rpc and status', async () => {
  const metrics = new Metrics();
  metrics.observeRpc('Search', 'success', 0.003);
  metrics.observeRpc('Search', 'success', 0.2);
  metrics.observeRpc(
    'Search',
    rpcStatusLabel(new QuiverError('CollectionNotFound', 'collection not found')),
    0.0004,
  );
  const text = await metrics.metricsText();
  assert.equal(sampleValue(text, 'quiver_rpc_requests_total{rpc="Search",status="success"}'), 2);
  assert.equal(sampleValue(text, 'quiver_rpc_requests_total{rpc="Search",status="CollectionNotFound"}'), 1);
  assert.equal(sampleValue(text, 'quiver_rpc_latency_seconds_count{rpc="Search",status="success"}'), 2);
  const sumSeconds = sampleValue(text, 'quiver_rpc_latency_seconds_sum{rpc="Search",status="success"}');
  assert.ok(Math.abs(sumSeconds! - 0.203) < 1e-9, `sum ${sumSeconds}`);
  // Bucket bounds: 0.003 s lands in le=0.005 but not le=0.0025; 0.2 s first lands in le=0.25.
  assert.equal(
    sampleValue(text, 'quiver_rpc_latency_seconds_bucket{le="0.0025",rpc="Search",status="success"}'),
    0,
  );
  assert.equal(
    sampleValue(text, 'quiver_rpc_latency_seconds_bucket{le="0.005",rpc="Search",status="success"}'),
    1,
  );
  assert.equal(
    sampleValue(text, 'quiver_rpc_latency_seconds_bucket{le="0.25",rpc="Search",status="success"}'),
    2,
  );
  assert.equal(
    sampleValue(text, 'quiver_rpc_latency_seconds_bucket{le="10",rpc="Search",status="success"}'),
    2,
  );
  assert.equal(
    sampleValue(
      text,
      'quiver_rpc_latency_seconds_bucket{le="0.0005",rpc="Search",status="CollectionNotFound"}',
    ),
    1,
  );
});

test('observeRpc folds unknown status strings into Unexpected to bound cardinality', async () => {
  const metrics = new Metrics();
  metrics.observeRpc('Insert', 'collection books not found: id 42', 0.01);
  const text = await metrics.metricsText();
  assert.equal(sampleValue(text, 'quiver_rpc_requests_total{rpc="Insert",status="Unexpected"}'), 1);
  assert.doesNotMatch(text, /id 42/);
});

test('the collections gauge is exposed and settable', async () => {
  const metrics = new Metrics();
  metrics.collections.set(7);
  assert.equal(sampleValue(await metrics.metricsText(), 'quiver_collections'), 7);
});

test('two instances keep separate registries: no name collision, no shared values', async () => {
  const first = new Metrics();
  const second = new Metrics();
  first.observeRpc('Query', 'success', 0.01);
  first.collections.set(3);
  const secondText = await second.metricsText();
  assert.equal(sampleValue(secondText, 'quiver_rpc_requests_total{rpc="Query",status="success"}'), undefined);
  assert.equal(sampleValue(secondText, 'quiver_collections'), 0);
  assert.equal(
    sampleValue(await first.metricsText(), 'quiver_rpc_requests_total{rpc="Query",status="success"}'),
    1,
  );
});

test('other modules register further metrics on the same registry', async () => {
  const metrics = new Metrics();
  const walSyncs = new Counter({
    name: 'quiver_wal_syncs_total',
    help: 'WAL fsyncs.',
    registers: [metrics.registry],
  });
  walSyncs.inc(4);
  assert.equal(sampleValue(await metrics.metricsText(), 'quiver_wal_syncs_total'), 4);
  assert.throws(
    () => new Counter({ name: 'quiver_collections', help: 'duplicate', registers: [metrics.registry] }),
    /already been registered/,
  );
});

test('contentType is the Prometheus text format', () => {
  assert.equal(new Metrics().contentType, 'text/plain; version=0.0.4; charset=utf-8');
});
