import type { Express } from 'express';
import type { Registry } from 'prom-client';

export interface HealthRoutesOptions {
  /** True once a supergraph is loaded, false again while stopping. */
  isReady: () => boolean;
  metrics: Registry;
}

/** /health/live (the process answers), /health/ready (it can serve GraphQL) and /metrics. */
export function mountHealthRoutes(app: Express, { isReady, metrics }: HealthRoutesOptions): void {
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', (_req, res) => {
    if (isReady()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable' });
  });
  app.get('/metrics', async (_req, res) => {
    res.type(metrics.contentType).send(await metrics.metrics());
  });
}
