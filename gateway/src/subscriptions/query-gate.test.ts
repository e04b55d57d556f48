import { describe, expect, it } from '@jest/globals';
import type { FormattedExecutionResult } from 'graphql';
import { userPrincipal } from '@platform/testing';
import { queryGate } from './query-gate.js';
import type { PreparedQuery, RunQuery } from './run-query.js';

/** Queries that answer when the test says so, recording how many run at once. */
function heldQueries() {
  const started: string[] = [];
  const finish = new Map<string, (result: FormattedExecutionResult) => void>();
  const fail = new Map<string, (error: Error) => void>();
  let running = 0;
  let mostAtOnce = 0;
  const run: RunQuery = (query) =>
    new Promise((resolve, reject) => {
      started.push(query.operationName);
      running += 1;
      mostAtOnce = Math.max(mostAtOnce, running);
      const done = () => (running -= 1);
      finish.set(query.operationName, (result) => (done(), resolve(result)));
      fail.set(query.operationName, (error) => (done(), reject(error)));
    });
  return { run, started, finish, fail, mostAtOnce: () => mostAtOnce };
}

const query = (name: string): PreparedQuery => ({
  query: `{ ${name} }`,
  operationName: name,
  variables: {},
});
const user = userPrincipal('u-gate');
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('the subscription query gate', () => {
  it('runs at most its concurrency at once and the rest in arrival order, losing none', async () => {
    const held = heldQueries();
    const gate = queryGate(held.run, 2);
    const names = ['a', 'b', 'c', 'd', 'e'];
    const results = names.map((name) => gate.run(query(name), user));
    await settle();
    expect(held.started).toEqual(['a', 'b']);
    expect(gate.waiting()).toBe(3);
    expect(gate.running()).toBe(2);

    held.finish.get('b')!({ data: { b: 1 } });
    await settle();
    expect(held.started).toEqual(['a', 'b', 'c']);
    // A newcomer while others wait queues behind them, even when a place frees right after.
    const late = gate.run(query('late'), user);
    held.finish.get('a')!({ data: { a: 1 } });
    await settle();
    expect(held.started).toEqual(['a', 'b', 'c', 'd']);
    for (const name of ['c', 'd']) {
      held.finish.get(name)!({ data: { [name]: 1 } });
      await settle();
    }
    expect(held.started).toEqual(['a', 'b', 'c', 'd', 'e', 'late']);
    held.finish.get('e')!({ data: { e: 1 } });
    held.finish.get('late')!({ data: { late: 1 } });

    expect(await Promise.all([...results, late])).toEqual(
      [...names, 'late'].map((name) => ({ data: { [name]: 1 } })),
    );
    expect(held.mostAtOnce()).toBe(2);
    expect(gate.running()).toBe(0);
    expect(gate.waiting()).toBe(0);
  });

  it("gives a freed place to the next user in turn, so one user's fan-out does not hold up another", async () => {
    const held = heldQueries();
    const gate = queryGate(held.run, 1);
    const [fanning, other] = [userPrincipal('u-fanning'), userPrincipal('u-other')];
    const runs = [
      gate.run(query('f1'), fanning),
      gate.run(query('f2'), fanning),
      gate.run(query('f3'), fanning),
      gate.run(query('o1'), other),
      gate.run(query('f4'), fanning),
      gate.run(query('o2'), other),
    ];
    await settle();
    for (const name of ['f1', 'f2', 'o1', 'f3', 'o2', 'f4']) {
      expect(held.started.at(-1)).toBe(name);
      held.finish.get(name)!({ data: { [name]: 1 } });
      await settle();
    }
    expect(held.started).toEqual(['f1', 'f2', 'o1', 'f3', 'o2', 'f4']);
    await Promise.all(runs);
    expect(gate.waiting()).toBe(0);
  });

  it('frees the place of a query that fails, and passes its error to its caller', async () => {
    const held = heldQueries();
    const gate = queryGate(held.run, 1);
    const failing = gate.run(query('failing'), user);
    const next = gate.run(query('next'), user);
    await settle();
    held.fail.get('failing')!(new Error('subgraph down'));
    await expect(failing).rejects.toThrow('subgraph down');
    await settle();
    expect(held.started).toEqual(['failing', 'next']);
    held.finish.get('next')!({ data: { next: 1 } });
    expect(await next).toEqual({ data: { next: 1 } });
  });
});
