/** One part of the node (catalog, WAL, storage, gRPC server, ...) and whether it can serve. */
export interface ComponentHealth {
  name: string;
  healthy: boolean;
  /** Why the component is unhealthy; shown to operators in the JSON form of /healthz. */
  reason?: string;
}

/**
 * What the node reports about itself, produced by whoever composes the node (cli/main.ts).
 * `healthy` is the verdict; `components` explain it. The node counts as healthy only when the
 * verdict is healthy and no component says otherwise.
 */
export interface HealthReport {
  healthy: boolean;
  components: ComponentHealth[];
}
