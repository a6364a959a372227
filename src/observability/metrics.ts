import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { normaliseRpcStatusLabel } from './rpc-status-label.js';

/** Latency buckets from 0.5 ms (cached point lookups) to 10 s (large searches, flushes). */
export const rpcLatencyBucketsSeconds: readonly number[] = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/**
 * The metrics of one server, on a registry of its own (never prom-client's global one), so that
 * several servers in one process — as in tests — do not collide on metric names.
 *
 * Labels and their bounds:
 * - `rpc`: the RPC (or REST route) name from the API layer's fixed method table. Callers must not
 *   pass names taken from the request (e.g. an unknown gRPC method); fold those into one name.
 * - `status`: 'success' or an error kind from src/errors/codes.ts (see rpc-status-label.ts).
 *   observeRpc folds any other string into 'Unexpected'.
 *
 * Other modules add metrics by passing `registers: [metrics.registry]` to a prom-client
 * constructor; names should start with `quiver_`.
 */
export class Metrics {
  readonly registry: Registry;
  readonly rpcRequests: Counter<'rpc' | 'status'>;
  readonly rpcLatency: Histogram<'rpc' | 'status'>;
  /** Number of collections across all databases; the service sets it when the catalog changes. */
  readonly collections: Gauge;

  constructor() {
    this.registry = new Registry();
    // No prefix: the standard process_* and nodejs_* names that dashboards already expect.
    collectDefaultMetrics({ register: this.registry });
    this.rpcRequests = new Counter({
      name: 'quiver_rpc_requests_total',
      help: 'RPCs handled, by RPC name and outcome (success or error kind).',
      labelNames: ['rpc', 'status'],
      registers: [this.registry],
    });
    this.rpcLatency = new Histogram({
      name: 'quiver_rpc_latency_seconds',
      help: 'RPC handling time in seconds, by RPC name and outcome.',
      labelNames: ['rpc', 'status'],
      buckets: [...rpcLatencyBucketsSeconds],
      registers: [this.registry],
    });
    this.collections = new Gauge({
      name: 'quiver_collections',
      help: 'Number of collections across all databases.',
      registers: [this.registry],
    });
  }

  /** Records one finished RPC. `seconds` is its wall time; `status` as described on the class. */
  observeRpc(rpc: string, status: string, seconds: number): void {
    const labels = { rpc, status: normaliseRpcStatusLabel(status) };
    this.rpcRequests.inc(labels);
    this.rpcLatency.observe(labels, seconds);
  }

  /** Prometheus text exposition of every metric on this registry. */
  metricsText(): Promise<string> {
    return this.registry.metrics();
  }

  /** Content-Type header for metricsText() (Prometheus text format 0.0.4). */
  get contentType(): string {
    return this.registry.contentType;
  }
}
