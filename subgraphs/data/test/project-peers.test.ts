import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { anonymous, dataOf, metricValue, userPrincipal } from '@platform/testing';
import { addMember, createProject } from './fixtures.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

/**
 * User.sharesProjectWithViewer, hidden from clients: what the user subgraph's `email` requires.
 * The gateway asks it in one `_entities` call for every user of a request's step.
 */
const SHARES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on User { id sharesProjectWithViewer } }
}`;

type Shares = { _entities: Array<{ id: string; sharesProjectWithViewer: boolean }> };

let test: TestSubgraph;
let alice: Caller;
const projectQueries = () =>
  metricValue(test.subgraph.url, 'data_store_queries_total', { collection: 'projects' });

beforeAll(async () => {
  test = await startTestSubgraph('data_project_peers');
  alice = test.as(userPrincipal('alice'));
  const atlas = await createProject(alice, 'Atlas');
  await addMember(alice, atlas, 'bob');
  const zephyr = await createProject(alice, 'Zephyr');
  await addMember(alice, zephyr, 'carol');
  const elsewhere = await createProject(test.as(userPrincipal('dave')), 'Elsewhere');
  await addMember(test.as(userPrincipal('dave')), elsewhere, 'erin');
});

afterAll(() => test.close());

async function sharesWith(caller: Caller, userIds: string[]): Promise<boolean[]> {
  const response = await caller.request<Shares>(SHARES, {
    representations: userIds.map((id) => ({ __typename: 'User', id })),
  });
  return dataOf(response)._entities.map((user) => user.sharesProjectWithViewer);
}

describe('whether the caller shares a project with a user', () => {
  it('is true for members of any of the caller’s projects (and the caller), false for others', async () => {
    expect(await sharesWith(alice, ['bob', 'carol', 'alice', 'dave', 'erin', 'nobody'])).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    // From the other side, and between two members who are not the owner.
    expect(await sharesWith(test.as(userPrincipal('bob')), ['alice', 'carol'])).toEqual([
      true,
      false,
    ]);
  });

  it('answers many users with one store query', async () => {
    const users = ['bob', 'carol', 'dave', ...Array.from({ length: 60 }, (_, n) => `user-${n}`)];
    const before = await projectQueries();
    const shares = await sharesWith(alice, users);
    expect(shares.filter(Boolean)).toHaveLength(2);
    expect((await projectQueries()) - before).toBe(1);
  });

  it('is false for an anonymous caller and an administrator outside the projects, with no error', async () => {
    expect(await sharesWith(test.as(anonymous), ['bob'])).toEqual([false]);
    expect(await sharesWith(test.as(userPrincipal('root', { role: 'ADMIN' })), ['bob'])).toEqual([
      false,
    ]);
  });
});
