import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import { anonymous, dataOf, metricValue, stackEndpoints, userPrincipal } from '@platform/testing';
import { explainFind } from './ferretdb-explain.js';
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
let explainer: MongoClient;
/** Every command the subgraph sends while `recording` (command monitoring on its own client). */
const commands: Document[] = [];
let recording = false;
const projectQueries = () =>
  metricValue(test.subgraph.url, 'data_store_queries_total', { collection: 'projects' });

beforeAll(async () => {
  test = await startTestSubgraph('data_project_peers', {
    env: { MONGO_URL: `${stackEndpoints().mongo.url}?monitorCommands=true` },
  });
  test.subgraph.db.client.on('commandStarted', (event: CommandStartedEvent) => {
    if (recording && event.databaseName === test.database) commands.push(event.command);
  });
  explainer = await MongoClient.connect(stackEndpoints().mongo.url);
  alice = test.as(userPrincipal('alice'));
  const atlas = await createProject(alice, 'Atlas');
  await addMember(alice, atlas, 'bob');
  const zephyr = await createProject(alice, 'Zephyr');
  await addMember(alice, zephyr, 'carol');
  const elsewhere = await createProject(test.as(userPrincipal('dave')), 'Elsewhere');
  await addMember(test.as(userPrincipal('dave')), elsewhere, 'erin');
});

afterAll(async () => {
  await explainer?.close();
  await test?.close();
});

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

  it('answers many users with one store query, which FerretDB answers from an index', async () => {
    const users = ['bob', 'carol', 'dave', ...Array.from({ length: 60 }, (_, n) => `user-${n}`)];
    const before = await projectQueries();
    commands.length = 0;
    recording = true;
    const shares = await sharesWith(alice, users);
    recording = false;
    expect(shares.filter(Boolean)).toHaveLength(2);
    expect((await projectQueries()) - before).toBe(1);

    expect(commands.map((command) => command.find)).toEqual(['projects']);
    const explained = await explainFind(explainer, test.database, commands[0]!);
    const nodes = explained.scans.map((scan) => scan.node);
    expect(explained.filterPushdown).toBe(true);
    expect(nodes).toContain('Bitmap Index Scan');
    expect(nodes).not.toContain('Seq Scan');
  });

  it('is false for an anonymous caller and an administrator outside the projects, with no error', async () => {
    expect(await sharesWith(test.as(anonymous), ['bob'])).toEqual([false]);
    expect(await sharesWith(test.as(userPrincipal('root', { role: 'ADMIN' })), ['bob'])).toEqual([
      false,
    ]);
  });
});
