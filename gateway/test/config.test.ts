import { describe, expect, it } from '@jest/globals';
import { loadGatewayConfig } from '../src/index.js';
import { subgraphRouter } from '../src/supergraph/routing.js';

const secrets = { JWT_SECRET: 'j'.repeat(32), GATEWAY_SECRET: 'g'.repeat(32) };

describe('gateway config', () => {
  it('applies the defaults', () => {
    const config = loadGatewayConfig(secrets);
    expect(config).toMatchObject({
      PORT: 4000,
      HOST: '127.0.0.1',
      API_KEY_CACHE_SECONDS: 10,
      MAX_BODY_BYTES: 1024 * 1024,
      SUBGRAPH_URLS: {},
    });
    expect(config.SUPERGRAPH_PATH).toMatch(/schema\/supergraph\.graphql$/);
  });

  it("defaults REDIS_URL to the stack's Redis and reads the subscription limits", () => {
    expect(loadGatewayConfig({ ...secrets, REDIS_PORT: '6390' })).toMatchObject({
      REDIS_URL: 'redis://127.0.0.1:6390',
      KEEPALIVE_MS: 15_000,
      SUBSCRIPTION_BUFFER_LIMIT: 100,
      SUBSCRIPTION_BUFFER_BYTES: 1024 * 1024,
    });
    const config = loadGatewayConfig({
      ...secrets,
      REDIS_URL: 'redis://cache.internal:6379',
      KEEPALIVE_MS: '5000',
      SUBSCRIPTION_BUFFER_LIMIT: '10',
    });
    expect(config).toMatchObject({
      REDIS_URL: 'redis://cache.internal:6379',
      KEEPALIVE_MS: 5000,
      SUBSCRIPTION_BUFFER_LIMIT: 10,
      SUBGRAPH_URLS: {},
    });
    expect(() => loadGatewayConfig({ ...secrets, SUBSCRIPTION_BUFFER_LIMIT: '0' })).toThrow(
      /SUBSCRIPTION_BUFFER_LIMIT: /,
    );
  });

  it('reads the Redis deployment every service shares: REDIS_MODE, a rediss:// URL', () => {
    expect(loadGatewayConfig(secrets).REDIS_MODE).toBe('standalone');
    expect(
      loadGatewayConfig({
        ...secrets,
        REDIS_MODE: 'cluster',
        REDIS_URL: 'rediss://gateway:secret@node-1.internal:6380',
      }),
    ).toMatchObject({
      REDIS_MODE: 'cluster',
      REDIS_URL: 'rediss://gateway:secret@node-1.internal:6380',
    });
    expect(() => loadGatewayConfig({ ...secrets, REDIS_MODE: 'sentinel' })).toThrow(/REDIS_MODE: /);
    expect(() => loadGatewayConfig({ ...secrets, REDIS_URL: 'http://x:6379' })).toThrow(
      /REDIS_URL: must be a redis:\/\/ or rediss:\/\//,
    );
  });

  it('reads SUBGRAPH_URL_<NAME> overrides by subgraph name', () => {
    const config = loadGatewayConfig({
      ...secrets,
      SUBGRAPH_URL_USER: 'http://users.internal:4001/graphql',
      SUBGRAPH_URL_DATA: 'http://data.internal:4002/graphql',
    });
    expect(config.SUBGRAPH_URLS).toEqual({
      user: 'http://users.internal:4001/graphql',
      data: 'http://data.internal:4002/graphql',
    });
    expect(config).not.toHaveProperty('SUBGRAPH_URL_USER');
  });

  it('names every missing secret and malformed override at once', () => {
    expect(() => loadGatewayConfig({ SUBGRAPH_URL_USER: 'not a url' })).toThrow(
      /JWT_SECRET: .*\(not set\)[\s\S]*GATEWAY_SECRET: .*\(not set\)[\s\S]*SUBGRAPH_URL_USER: /,
    );
  });
});

describe('subgraph routing', () => {
  const route = subgraphRouter({
    user: 'http://override/graphql',
    user_profile: 'http://p/graphql',
  });

  it('sends an overridden subgraph to its override and the rest to the composed URL', () => {
    expect(route('user', 'http://composed/graphql')).toBe('http://override/graphql');
    expect(route('data', 'http://composed/graphql')).toBe('http://composed/graphql');
  });

  it('matches names case-insensitively with punctuation read as underscores', () => {
    expect(route('User-Profile', 'http://composed/graphql')).toBe('http://p/graphql');
  });
});
