import { createHash, timingSafeEqual } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express, RequestHandler } from 'express';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import type { SettingsOf } from '@platform/config';

/**
 * Where /metrics is served. By default only on an internal listener (METRICS_HOST:METRICS_PORT,
 * loopback), never on the public port: the metrics name subgraphs, error codes, tiers and load,
 * which is reconnaissance for an attacker. With METRICS_TOKEN set, the public port serves it too,
 * to requests bearing `Authorization: Bearer <token>`; without one it answers 404 there.
 */
export const metricsSettings = {
  /**
   * The internal metrics listener's port; 0 picks a free one. Unset: 9464, or a free one when PORT
   * is 0 (a gateway started on any free port, as tests and embedders do, must not collide with
   * another one's metrics port).
   */
  METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The metrics listener's interface: loopback, or `0.0.0.0` for a scraper in another pod. */
  METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** Empty: /metrics is not served on the public port. */
  METRICS_TOKEN: z
    .string()
    .default('')
    .refine((token) => token === '' || token.length >= 16, 'must be at least 16 characters'),
};

export type MetricsSettings = SettingsOf<typeof metricsSettings>;

export const DEFAULT_METRICS_PORT = 9464;

/** Where the internal listener binds, given the settings and the public port. */
export function metricsListenAddress(
  { METRICS_PORT, METRICS_HOST }: { METRICS_PORT?: number | undefined; METRICS_HOST: string },
  publicPort: number,
): { port: number; host: string } {
  const port = METRICS_PORT ?? (publicPort === 0 ? 0 : DEFAULT_METRICS_PORT);
  return { port, host: METRICS_HOST };
}

const sendMetrics =
  (registry: Registry): RequestHandler =>
  async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  };

/** SHA-256 both sides first so the comparison is constant-time whatever the lengths. */
function sameToken(offered: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(offered), digest(expected));
}

/**
 * /metrics on the public app: 404 (as if there were no such route) unless METRICS_TOKEN is set and
 * the request bears it; a wrong or missing token also gets 404, so the route is not confirmed.
 */
export function mountPublicMetrics(app: Express, registry: Registry, token: string): void {
  const send = sendMetrics(registry);
  app.get('/metrics', (req, res, next) => {
    const header = req.header('authorization') ?? '';
    const offered = /^Bearer (.+)$/i.exec(header)?.[1];
    if (token && offered !== undefined && sameToken(offered, token)) {
      void send(req, res, next);
      return;
    }
    res.status(404).type('text/plain').send('Not Found');
  });
}

export interface MetricsServer {
  /** `http://host:port/metrics` */
  url: string;
  stop(): Promise<void>;
}

/**
 * The internal listener: GET /metrics and nothing else (404). With WORKER_PROCESSES > 1 the
 * node:cluster workers share the port like the public one, so one scrape reads one worker.
 */
export async function startMetricsServer(
  registry: Registry,
  { port, host }: { port: number; host: string },
): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      registry.metrics().then(
        (body) => res.writeHead(200, { 'content-type': registry.contentType }).end(body),
        () => res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable'),
      );
      return;
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, resolve);
  });
  const { port: bound } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}/metrics`,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
