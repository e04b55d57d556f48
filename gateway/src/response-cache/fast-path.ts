import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { Principal } from '@platform/identity';
import type { PersistedQueryCache } from './apq.js';
import { principalCacheKey } from './cache-keys.js';
import type { EntryAdmission } from './entry.js';
import { fastPathRequest } from './fast-path-request.js';
import type { ResponseCacheMetrics } from './metrics.js';
import { cacheControl } from './plugin.js';
import type { ResponseCacheStore } from './store.js';

/**
 * The normal path's own steps, as the fast path needs them (fast-path-gate.ts assembles them from
 * the gateway's authentication, authorization, cost limits and rate limiter).
 */
export interface FastPathGate {
  /** Who calls; rejects for a credential the normal path refuses. */
  principalOf(req: IncomingMessage, requestId: string): Promise<Principal>;
  /** False when the normal path would refuse this caller the cached operation (401/403/400). */
  admits(principal: Principal, admission: EntryAdmission): boolean;
  /** Charges the caller what the normal path would; the RateLimit-* headers, or undefined if refused. */
  charge(
    principal: Principal,
    admission: EntryAdmission,
    clientIp: string | undefined,
  ): Promise<Record<string, string> | undefined>;
  /** The `extensions` the normal path's response carries (the cost step's `cost`). */
  extensionsOf(admission: EntryAdmission): Record<string, unknown>;
}

export interface FastPathOptions {
  store: ResponseCacheStore;
  /** Apollo Server's APQ store (its keys are `apq:<hash>`). */
  persistedQueries: PersistedQueryCache;
  gate: FastPathGate;
  metrics: ResponseCacheMetrics;
  /** The request id assignRequestId gave the request. */
  requestIdOf: (res: Parameters<RequestHandler>[1]) => string;
}

const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * Answers a request whose response is cached with the stored bytes, before Apollo Server parses,
 * validates or plans anything, exactly as the normal path would answer it: the caller is
 * authenticated by the same code, authorized and held to the cost limits by the same decisions on
 * what was stored with the entry, charged the same price, and sent the same body and headers
 * (Cache-Control, Age, RateLimit-*; the request id and CORS were set before). The lookup is the
 * store's own (PUBLIC, then the caller's PRIVATE entry), so a PRIVATE entry only reaches its
 * principal. Anything else is passed on untouched: no entry, an unusual request, a credential or
 * operation the normal path refuses (it answers with its own error), a charge refused (a refused
 * charge takes no tokens, so the normal path's own charge answers 429 with the same numbers).
 */
export function responseCacheFastPath({
  store,
  persistedQueries,
  gate,
  metrics,
  requestIdOf,
}: FastPathOptions): RequestHandler {
  return async (req, res, next) => {
    const pass = () => {
      metrics.fastPath.inc({ outcome: 'passed' });
      next();
    };
    try {
      const request = fastPathRequest({
        method: req.method,
        body: req.body as unknown,
        accept: req.headers.accept,
      });
      if (!request) return pass();
      const principal = await gate.principalOf(req, requestIdOf(res));
      const lookup = await store.lookup(request.identity, principalCacheKey(principal), {
        countOutcome: false,
      });
      const hit = lookup?.hit;
      const admission = hit?.admission;
      if (!hit || !admission || !gate.admits(principal, admission)) return pass();
      if (
        request.persistedQueryHash !== undefined &&
        !(await persistedQueries.get(`apq:${request.persistedQueryHash}`))
      ) {
        return pass();
      }
      if (!hit.resultJson.endsWith('}')) return pass();
      const rateLimitHeaders = await gate.charge(principal, admission, req.ip);
      if (!rateLimitHeaders) return pass();

      metrics.outcomes.inc({ outcome: 'hit' });
      metrics.fastPath.inc({ outcome: 'served' });
      const extensions = gate.extensionsOf(admission);
      res.status(200);
      res.setHeader('content-type', JSON_CONTENT_TYPE);
      res.setHeader('cache-control', cacheControl(hit.remaining, hit.scope));
      res.setHeader('age', String(hit.age));
      for (const [name, value] of Object.entries(rateLimitHeaders)) {
        res.setHeader(name.toLowerCase(), value);
      }
      // Apollo Server's serialization of `{ data, extensions }`: JSON, then a newline.
      res.send(`${hit.resultJson.slice(0, -1)},"extensions":${JSON.stringify(extensions)}}\n`);
    } catch {
      // Whatever failed (a refused credential, no supergraph yet) the normal path answers.
      return pass();
    }
  };
}
