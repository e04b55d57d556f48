import type { Express } from 'express';

export interface HealthRoutesOptions {
  /** True once a supergraph is loaded, false again while stopping. */
  isReady: () => boolean;
}

/**
 * /health/live (the process answers) and /health/ready (it can serve GraphQL). /metrics is not
 * here: it is served on the internal metrics listener (http/metrics-endpoint.ts).
 */
export function mountHealthRoutes(app: Express, { isReady }: HealthRoutesOptions): void {
  app.get('/health/live', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/health/ready', (_req, res) => {
    if (isReady()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'unavailable' });
  });
}
