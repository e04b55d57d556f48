/**
 * Target (d), the ceiling: a bare Node `http` server that reads each request and answers it with
 * the exact bytes the platform gateway returned for the benchmark query. Nothing is parsed,
 * planned or fetched, so no GraphQL server on this machine can answer faster.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { z } from 'zod';
import { env, loadConfig } from '@platform/config';
import { createLogger } from '@platform/logger';
import { runUntilSignalled } from '@platform/subgraph-server';

const config = loadConfig(
  z.object({
    PORT: env.port(4200),
    HOST: z.string().min(1).default('127.0.0.1'),
    /** The response body to serve, byte for byte. */
    BODY_FILE: z.string().min(1),
    LOG_LEVEL: env.logLevel,
  }),
);
const logger = createLogger('bare-server', { level: config.LOG_LEVEL });
const body = readFileSync(config.BODY_FILE);
const headers = {
  'content-type': 'application/json; charset=utf-8',
  'content-length': String(body.length),
};

const server = http.createServer((request, response) => {
  request.resume();
  request.on('end', () => {
    response.writeHead(200, headers);
    response.end(body);
  });
});
await new Promise<void>((resolve) => server.listen(config.PORT, config.HOST, resolve));
logger.info({ port: config.PORT, bytes: body.length }, 'bare server listening');
runUntilSignalled(
  logger,
  () =>
    new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeIdleConnections();
    }),
);
