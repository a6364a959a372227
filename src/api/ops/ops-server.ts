import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import type { Logger } from '../../observability/logger.js';
import type { Metrics } from '../../observability/metrics.js';
import type { HealthReport } from './health-report.js';
import { healthzResponse } from './healthz-response.js';

export type { ComponentHealth, HealthReport } from './health-report.js';

export interface OpsServerOptions {
  host: string;
  /** 9091 in production (Milvus's common.MetricsPort); 0 picks a free port, reported by listen(). */
  port: number;
  metrics: Metrics;
  /** Called on every /healthz and /api/v1/health request; must be cheap and synchronous. */
  health: () => HealthReport;
  logger?: Logger;
}

export interface OpsServer {
  listen(): Promise<{ host: string; port: number }>;
  close(): Promise<void>;
}

/** Milvus's liveness body (internal/http/healthz/livez_handler.go), kept for probe scripts. */
export const livezBody = 'Milvus Process Active\n';

const textPlain = 'text/plain; charset=utf-8';

/**
 * The operations port, answering what Milvus answers on 9091 so that docker/k8s probes
 * (`curl -f :9091/healthz`) and Prometheus scrape configs written for Milvus work unchanged.
 * Fastify's own logger stays off; requests are logged at debug on the given logger.
 */
export function createOpsServer(options: OpsServerOptions): OpsServer {
  const logger = options.logger?.child({ component: 'ops-http' });
  const app = Fastify({ logger: false });

  /** A failing health callback means the node cannot vouch for itself: report it unhealthy. */
  const readHealth = (): HealthReport => {
    try {
      return options.health();
    } catch (error) {
      logger?.warn({ err: error }, 'health check threw');
      const reason = error instanceof Error ? error.message : String(error);
      return { healthy: false, components: [{ name: 'health-check', healthy: false, reason }] };
    }
  };

  app.get('/healthz', async (request, reply) => {
    const response = healthzResponse(readHealth());
    reply.code(response.statusCode);
    if (wantsJson(request)) return reply.type('application/json').send(response.json);
    // Exactly Milvus's header, which sets no charset.
    return reply.type('text/plain').send(response.state);
  });

  app.get('/livez', async (_request, reply) => reply.type(textPlain).send(livezBody));

  app.get('/api/v1/health', async (_request, reply) => {
    const response = healthzResponse(readHealth());
    if (response.statusCode === 200) return reply.send({ status: 'ok' });
    return reply.code(500).send({ status: 'unhealthy', reason: response.state });
  });

  const sendMetrics = async (_request: FastifyRequest, reply: FastifyReply) => {
    const text = await options.metrics.metricsText();
    return reply.type(options.metrics.contentType).send(text);
  };
  app.get('/metrics', sendMetrics);
  app.get('/metrics_default', sendMetrics);

  // Go's http.NotFound, which is what Milvus's mux answers for unknown paths.
  app.setNotFoundHandler(async (_request, reply) =>
    reply.code(404).type(textPlain).header('x-content-type-options', 'nosniff').send('404 page not found\n'),
  );

  app.setErrorHandler(async (error, request, reply) => {
    const failure = error as { statusCode?: unknown; message?: unknown };
    const statusCode =
      typeof failure.statusCode === 'number' && failure.statusCode >= 400 ? failure.statusCode : 500;
    logger?.warn({ err: error, method: request.method, url: request.url, statusCode }, 'ops request failed');
    return reply
      .code(statusCode)
      .type(textPlain)
      .send(`${String(failure.message)}\n`);
  });

  app.addHook('onResponse', async (request, reply) => {
    logger?.debug(
      {
        method: request.method,
        url: request.url,
        statusCode: reply.statusCode,
        durationMs: reply.elapsedTime,
      },
      'ops request',
    );
  });

  let closing: Promise<void> | undefined;
  return {
    async listen() {
      await app.listen({ host: options.host, port: options.port });
      const address = app.server.address() as AddressInfo;
      logger?.info({ host: address.address, port: address.port }, 'ops server listening');
      return { host: address.address, port: address.port };
    },
    close() {
      closing ??= app.close().then(() => undefined);
      return closing;
    },
  };
}

/**
 * Milvus answers JSON when the request's Content-Type is application/json (its healthz handler
 * checks the request header, not Accept); Accept: application/json is honoured as well.
 */
function wantsJson(request: FastifyRequest): boolean {
  const mediaType = (value: string) => value.split(';')[0]!.trim().toLowerCase();
  const contentType = request.headers['content-type'];
  if (contentType !== undefined && mediaType(contentType) === 'application/json') return true;
  const accept = request.headers.accept ?? '';
  return accept.split(',').some((entry) => mediaType(entry) === 'application/json');
}
