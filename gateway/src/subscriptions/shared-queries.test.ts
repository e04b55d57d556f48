import { describe, expect, it } from '@jest/globals';
import type { FormattedExecutionResult } from 'graphql';
import type { AuthenticatedPrincipal } from '@platform/identity';
import { userPrincipal } from '@platform/testing';
import type { PreparedQuery, RunQuery } from './run-query.js';
import { sharedQueries } from './shared-queries.js';

/** Answers each query after a turn of the event loop with what `answer` says, counting runs. */
function countedQueries(answer: (query: PreparedQuery) => FormattedExecutionResult | Error) {
  const runs: { query: PreparedQuery; principal: AuthenticatedPrincipal }[] = [];
  const run: RunQuery = async (query, principal) => {
    runs.push({ query, principal });
    await new Promise((resolve) => setImmediate(resolve));
    const result = answer(query);
    if (result instanceof Error) throw result;
    return result;
  };
  return { run, runs };
}

const byId = (id: string, variables: Record<string, unknown> = {}): PreparedQuery => ({
  query: 'query NotificationAdded($id: ID!) { notification(id: $id) { id } }',
  operationName: 'NotificationAdded',
  variables: { ...variables, id },
  shareable: true,
});
const ok = (query: PreparedQuery) => ({ data: { notification: { id: query.variables.id } } });

describe('shared subscription queries', () => {
  it('runs 100 identical queries of one principal once, each caller getting the answer', async () => {
    const counted = countedQueries(ok);
    let shared = 0;
    const run = sharedQueries(counted.run, { keepMs: 60_000, onShared: () => (shared += 1) });
    const user = userPrincipal('u-fan');
    const results = await Promise.all(Array.from({ length: 100 }, () => run(byId('7'), user)));
    expect(counted.runs).toHaveLength(1);
    expect(shared).toBe(99);
    expect(new Set(results.map((result) => JSON.stringify(result)))).toEqual(
      new Set([JSON.stringify({ data: { notification: { id: '7' } } })]),
    );
    // Answered a moment ago: a straggler gets it too, with variables in another order.
    await run({ ...byId('7'), variables: { id: '7' } }, user);
    expect(counted.runs).toHaveLength(1);
  });

  it('never shares across principals, notifications or variables', async () => {
    const counted = countedQueries(ok);
    const run = sharedQueries(counted.run, { keepMs: 60_000 });
    const ada = userPrincipal('u-ada');
    const key: AuthenticatedPrincipal = {
      kind: 'apiKey',
      userId: 'u-ada',
      role: 'USER',
      scopes: ['read'],
      apiKeyId: 'k-1',
    };
    await Promise.all([
      run(byId('1'), ada),
      run(byId('1'), userPrincipal('u-bob')),
      run(byId('1'), key),
      run(byId('2'), ada),
      run(byId('1', { upper: true }), ada),
    ]);
    expect(counted.runs).toHaveLength(5);
  });

  it('shares a failure or an answer with errors only while it is in flight', async () => {
    let fail = true;
    const counted = countedQueries((query) =>
      fail
        ? query.variables.id === 'x'
          ? new Error('network')
          : {
              data: null,
              errors: [{ message: 'down', extensions: { code: 'SUBGRAPH_UNAVAILABLE' } }],
            }
        : ok(query),
    );
    const run = sharedQueries(counted.run, { keepMs: 60_000 });
    const user = userPrincipal('u-retry');
    const failures = await Promise.allSettled([run(byId('x'), user), run(byId('x'), user)]);
    expect(failures.map((failure) => failure.status)).toEqual(['rejected', 'rejected']);
    const errored = await Promise.all([run(byId('y'), user), run(byId('y'), user)]);
    expect(errored[0]!.errors).toHaveLength(1);
    expect(counted.runs).toHaveLength(2);

    fail = false;
    expect(await run(byId('x'), user)).toEqual(ok(byId('x')));
    expect(await run(byId('y'), user)).toEqual(ok(byId('y')));
    expect(counted.runs).toHaveLength(4);
  });

  it('always runs a query that is not shareable (a replay page: what came after a cursor, now)', async () => {
    const counted = countedQueries(ok);
    const run = sharedQueries(counted.run, { keepMs: 60_000 });
    const user = userPrincipal('u-replay');
    const replay = { ...byId('1'), shareable: false };
    await Promise.all([run(replay, user), run(replay, user)]);
    await run(replay, user);
    expect(counted.runs).toHaveLength(3);
  });

  it('runs a query again once its answer is older than keepMs', async () => {
    const counted = countedQueries(ok);
    const run = sharedQueries(counted.run, { keepMs: 20 });
    const user = userPrincipal('u-later');
    await run(byId('1'), user);
    await new Promise((resolve) => setTimeout(resolve, 60));
    await run(byId('1'), user);
    expect(counted.runs).toHaveLength(2);
  });
});
