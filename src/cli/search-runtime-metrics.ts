import { Gauge } from 'prom-client';
import type { Metrics } from '../observability/metrics.js';
import type { SearchRuntime } from '../service/quiver-service.js';

/**
 * Prometheus gauges over the search runtime, read when scraped: vector index segments by state
 * (queued, building, ready, failed — build progress at a glance), kernel memory held by indexes and
 * by resident vectors, and search tasks waiting or running.
 */
export function registerSearchRuntimeMetrics(metrics: Metrics, runtime: SearchRuntime): void {
  new Gauge({
    name: 'quiver_vector_index_segments',
    help: 'Per-segment vector indexes by state (queued, building, ready, failed).',
    labelNames: ['state'],
    registers: [metrics.registry],
    collect() {
      const stats = runtime.vectorIndexes.stats();
      for (const state of ['queued', 'building', 'ready', 'failed'] as const)
        this.set({ state }, stats[state]);
    },
  });
  new Gauge({
    name: 'quiver_vector_index_builds_total',
    help: 'Vector indexes built (not loaded from files) since the server started.',
    registers: [metrics.registry],
    collect() {
      this.set(runtime.vectorIndexes.builds);
    },
  });
  new Gauge({
    name: 'quiver_kernel_memory_bytes',
    help: 'Shared kernel memory held, by use: ANN index structures, resident segment vectors.',
    labelNames: ['use'],
    registers: [metrics.registry],
    collect() {
      this.set({ use: 'vector_indexes' }, runtime.vectorIndexes.stats().indexBytes);
      this.set({ use: 'resident_vectors' }, runtime.residentVectors.bytes);
    },
  });
  new Gauge({
    name: 'quiver_search_tasks_pending',
    help: 'Search scan tasks waiting for or running on a search worker.',
    registers: [metrics.registry],
    collect() {
      this.set(runtime.searchPool.pendingTasks);
    },
  });
}
