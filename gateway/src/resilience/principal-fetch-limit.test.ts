import { describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { anonymous, userPrincipal } from '@platform/testing';
import { ConcurrencyLimitedError } from './concurrency-limit.js';
import { principalFetchLimit } from './principal-fetch-limit.js';

const never = () => new Promise<never>(() => undefined);

describe('principalFetchLimit', () => {
  it('gives every user its own slots per subgraph, every API key of a user the same ones', async () => {
    const registry = new Registry();
    const limit = principalFetchLimit({ limit: 1, maxWaitMs: 20 }, registry);
    const alice = userPrincipal('alice');
    void limit.run('user', { principal: alice, clientIp: undefined }, never);

    // Another subgraph, another user: their own slots.
    await expect(
      limit.run('data', { principal: alice, clientIp: undefined }, async () => 'data'),
    ).resolves.toBe('data');
    await expect(
      limit.run(
        'user',
        { principal: userPrincipal('bob'), clientIp: undefined },
        async () => 'bob',
      ),
    ).resolves.toBe('bob');

    // Alice's API key waits for Alice's slot, then is shed and counted.
    const aliceKey = {
      kind: 'apiKey' as const,
      userId: alice.userId,
      role: 'USER' as const,
      scopes: ['read' as const],
      apiKeyId: 'k-1',
    };
    await expect(
      limit.run('user', { principal: aliceKey, clientIp: undefined }, async () => 'key'),
    ).rejects.toBeInstanceOf(ConcurrencyLimitedError);
    const shed = await registry.getSingleMetric('gateway_subgraph_fetches_shed_total')?.get();
    expect(shed?.values).toEqual([{ value: 1, labels: { subgraph: 'user' } }]);
  });

  it('keys anonymous callers by their address', async () => {
    const limit = principalFetchLimit({ limit: 1, maxWaitMs: 20 }, new Registry());
    void limit.run('user', { principal: anonymous, clientIp: '10.0.0.1' }, never);
    await expect(
      limit.run('user', { principal: anonymous, clientIp: '10.0.0.2' }, async () => 'other'),
    ).resolves.toBe('other');
    await expect(
      limit.run('user', { principal: anonymous, clientIp: '10.0.0.1' }, async () => 'same'),
    ).rejects.toBeInstanceOf(ConcurrencyLimitedError);
  });
});
