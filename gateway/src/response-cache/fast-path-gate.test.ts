import { describe, expect, it } from '@jest/globals';
import { OperationTypeNode } from 'graphql';
import { Registry } from 'prom-client';
import type { Principal } from '@platform/identity';
import { anonymous, recordingLogger, userPrincipal } from '@platform/testing';
import type { AnonymousAccess } from '../auth/authorize-operation.js';
import {
  cacheHitCost,
  createRateLimiter,
  createRateLimitMetrics,
  memoryTokenBuckets,
} from '../rate-limit/index.js';
import type { EntryAdmission } from './entry.js';
import { gatewayFastPathGate } from './fast-path-gate.js';

const tier = { capacity: 10, refillPerSecond: 0.001 };

function gate(anonymousAccess: AnonymousAccess = 'public', hitCost?: (price: number) => number) {
  const limiter = createRateLimiter({
    buckets: memoryTokenBuckets(),
    tiers: { anonymous: tier, user: tier, admin: tier },
    logger: recordingLogger('fast-path-gate-test').logger,
    metrics: createRateLimitMetrics(new Registry()),
    redisTimeoutMs: 50,
    instanceCount: 1,
  });
  return gatewayFastPathGate({
    principalOf: async () => anonymous,
    publicRootFields: () => new Map([[OperationTypeNode.QUERY, new Set(['announcement'])]]),
    anonymousAccess,
    costLimits: { maxCost: 100, maxDepth: 5 },
    rateLimiter: limiter,
    ...(hitCost ? { hitCost } : {}),
  });
}

const admission = (rootFieldNames: string[], measure: Partial<EntryAdmission['measure']> = {}) => ({
  rootFieldNames,
  measure: { cost: 3, depth: 2, aliases: 0, rootFields: rootFieldNames.length, ...measure },
});
const writeOnlyKey: Principal = {
  kind: 'apiKey',
  userId: 'owner',
  role: 'USER',
  scopes: ['write'],
  apiKeyId: 'k-write',
};

describe('the fast path gate', () => {
  it('admits anonymous callers to public root fields only, as ANONYMOUS_ACCESS says', () => {
    expect(gate().admits(anonymous, admission(['announcement', '__typename']))).toBe(true);
    expect(gate().admits(anonymous, admission(['announcement', 'me']))).toBe(false);
    expect(gate('none').admits(anonymous, admission(['announcement']))).toBe(false);
    expect(gate('all').admits(anonymous, admission(['me']))).toBe(true);
  });

  it('refuses a caller without the read scope, and an operation over a limit', () => {
    expect(gate().admits(userPrincipal('u1'), admission(['me']))).toBe(true);
    expect(gate().admits(writeOnlyKey, admission(['me']))).toBe(false);
    expect(gate().admits(userPrincipal('u1'), admission(['me'], { depth: 6 }))).toBe(false);
    expect(gate().admits(userPrincipal('u1'), admission(['me'], { cost: 101 }))).toBe(false);
  });

  it('charges the stored price, at least one token, and answers the RateLimit headers', async () => {
    const fastPath = gate();
    const user = userPrincipal('spender');
    expect(await fastPath.charge(user, admission(['me'], { cost: 4 }), undefined)).toEqual({
      'RateLimit-Limit': '10',
      'RateLimit-Remaining': '6',
      'RateLimit-Reset': expect.any(String),
    });
    expect(
      (await fastPath.charge(user, admission(['me'], { cost: 0 }), undefined))?.[
        'RateLimit-Remaining'
      ],
    ).toBe('5');
    expect(await fastPath.charge(user, admission(['me'], { cost: 6 }), undefined)).toBeUndefined();
  });

  it('charges what hitCost makes of the stored price (the gateway: a share, at least one token)', async () => {
    const fastPath = gate('public', (price) => cacheHitCost(price, 0.1));
    const user = userPrincipal('cheap-hits');
    expect(
      (await fastPath.charge(user, admission(['me'], { cost: 35 }), undefined))?.[
        'RateLimit-Remaining'
      ],
    ).toBe('6');
    expect(
      (await fastPath.charge(user, admission(['me'], { cost: 0 }), undefined))?.[
        'RateLimit-Remaining'
      ],
    ).toBe('5');
  });

  it("adds the cost step's extension", () => {
    expect(gate().extensionsOf(admission(['me'], { cost: 7 }))).toEqual({
      cost: { requested: 7, limit: 100 },
    });
  });
});
