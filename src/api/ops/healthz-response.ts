import type { HealthReport } from './health-report.js';

/**
 * Milvus's commonpb.StateCode values. Milvus marshals the enum with Go's encoding/json, which
 * writes the number (the enum type has no MarshalJSON), so clients see e.g. `"code":1`.
 */
export const StateCode = { Initializing: 0, Healthy: 1, Abnormal: 2, StandBy: 3, Stopping: 4 } as const;

export interface HealthzDetail {
  name: string;
  code: number;
  /** Quiver addition, present only for unhealthy components that gave a reason. */
  reason?: string;
}

export interface HealthzResponse {
  statusCode: 200 | 500;
  /** `OK`, or `Not all components are healthy, <healthy>/<total>` — also the text/plain body. */
  state: string;
  /** The application/json body, shaped like Milvus's healthz.HealthResponse. */
  json: { state: string; detail: HealthzDetail[] };
}

/** Renders a HealthReport the way Milvus's internal/http/healthz handler answers /healthz. */
export function healthzResponse(report: HealthReport): HealthzResponse {
  const detail: HealthzDetail[] = report.components.map((component) => {
    const entry: HealthzDetail = {
      name: component.name,
      code: component.healthy ? StateCode.Healthy : StateCode.Abnormal,
    };
    if (!component.healthy && component.reason !== undefined) entry.reason = component.reason;
    return entry;
  });
  const total = report.components.length;
  const healthyCount = report.components.filter((component) => component.healthy).length;
  const healthy = report.healthy && healthyCount === total;
  const state = healthy ? 'OK' : `Not all components are healthy, ${healthyCount}/${total}`;
  return { statusCode: healthy ? 200 : 500, state, json: { state, detail } };
}
