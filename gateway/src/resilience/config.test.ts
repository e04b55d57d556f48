import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { DEFAULT_FETCH_POLICY, resilienceConfig, resilienceSettings } from './config.js';

const schema = z.object(resilienceSettings);

describe('resilience config', () => {
  it('applies the defaults', () => {
    expect(loadConfig(schema, {})).toEqual({
      SUBGRAPH_TIMEOUT_MS: 2000,
      SUBGRAPH_RETRIES: 2,
      SUBGRAPH_BREAKER_FAILURES: 5,
      SUBGRAPH_BREAKER_HALF_OPEN_MS: 5000,
      SUBGRAPH_CONCURRENCY_PER_PRINCIPAL: 8,
      SUBGRAPH_CONCURRENCY_WAIT_MS: 1000,
      DOCUMENT_CACHE_BYTES: 30 * 1024 * 1024,
      QUERY_PLAN_CACHE_BYTES: 30 * 1024 * 1024,
    });
    expect(DEFAULT_FETCH_POLICY).toEqual({
      timeoutMs: 2000,
      retries: 2,
      breaker: { consecutiveFailures: 5, halfOpenAfterMs: 5000 },
    });
  });

  it('turns the variables into a fetch policy', () => {
    const settings = loadConfig(schema, {
      SUBGRAPH_TIMEOUT_MS: '750',
      SUBGRAPH_RETRIES: '0',
      SUBGRAPH_BREAKER_FAILURES: '3',
      SUBGRAPH_BREAKER_HALF_OPEN_MS: '1000',
    });
    expect(resilienceConfig(settings).fetchPolicy).toEqual({
      timeoutMs: 750,
      retries: 0,
      breaker: { consecutiveFailures: 3, halfOpenAfterMs: 1000 },
    });
  });

  it('turns the per-principal variables into the concurrency limit', () => {
    const settings = loadConfig(schema, {
      SUBGRAPH_CONCURRENCY_PER_PRINCIPAL: '2',
      SUBGRAPH_CONCURRENCY_WAIT_MS: '250',
    });
    expect(resilienceConfig(settings).principalConcurrency).toEqual({ limit: 2, maxWaitMs: 250 });
    expect(() => loadConfig(schema, { SUBGRAPH_CONCURRENCY_PER_PRINCIPAL: '0' })).toThrow(
      /SUBGRAPH_CONCURRENCY_PER_PRINCIPAL/,
    );
  });

  it('names every malformed variable', () => {
    expect(() =>
      loadConfig(schema, {
        SUBGRAPH_TIMEOUT_MS: '0',
        SUBGRAPH_RETRIES: '-1',
        SUBGRAPH_BREAKER_FAILURES: 'many',
        DOCUMENT_CACHE_BYTES: '1.5',
      }),
    ).toThrow(
      /SUBGRAPH_TIMEOUT_MS[\s\S]*SUBGRAPH_RETRIES[\s\S]*SUBGRAPH_BREAKER_FAILURES[\s\S]*DOCUMENT_CACHE_BYTES/,
    );
  });
});
