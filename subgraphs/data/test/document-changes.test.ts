import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { dataOf, errorCodes, eventually, stackEndpoints, userPrincipal } from '@platform/testing';
import { decodeLiveMessage, documentChannel, type LiveMessage } from '@platform/realtime';
import { createDocument, createProject } from './fixtures.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

/** What `documentChanged` (served by the gateway, declared @live here) reads and listens to. */
const CHANGES = `query ($projectId: ID!, $since: String, $first: Int) {
  documentChangesSince(projectId: $projectId, since: $since, first: $first) { id title changeCursor }
}`;
const RENAME = `mutation ($id: ID!, $version: Int!, $title: String!) {
  updateDocument(id: $id, expectedVersion: $version, patch: { title: $title }) { version changeCursor }
}`;

interface Change {
  id: string;
  title: string;
  changeCursor: string;
}

describe('document changes: documentChangesSince and the project channel', () => {
  let test: TestSubgraph;
  let alice: Caller;
  let projectId: string;
  let listener: Redis;
  const published: LiveMessage[] = [];

  beforeAll(async () => {
    test = await startTestSubgraph('data_changes');
    alice = test.as(userPrincipal('alice'));
    projectId = await createProject(alice, 'Changes');
    listener = new Redis(stackEndpoints().redis.url);
    listener.on('message', (_channel: string, raw: string) => {
      const message = decodeLiveMessage(raw);
      if (message) published.push(message);
    });
    await listener.subscribe(documentChannel(projectId));
  });

  afterAll(async () => {
    listener?.disconnect();
    await test.close();
  });

  const changes = async (since?: string, first?: number) =>
    dataOf(
      await alice.request<{ documentChangesSince: Change[] }>(CHANGES, { projectId, since, first }),
    ).documentChangesSince;

  it('lists every change in cursor order, page by page, an updated document moving to the end', async () => {
    const created = [];
    for (const title of ['one', 'two', 'three', 'four', 'five']) {
      created.push(await createDocument(alice, projectId, { title }));
    }
    dataOf(await alice.request(RENAME, { id: created[1]!.id, version: 1, title: 'two, renamed' }));

    const all = await changes();
    expect(all.map((change) => change.title)).toEqual([
      'one',
      'three',
      'four',
      'five',
      'two, renamed',
    ]);
    const cursors = all.map((change) => change.changeCursor);
    expect([...cursors].sort()).toEqual(cursors);
    expect(new Set(cursors).size).toBe(cursors.length);

    const paged: Change[] = [];
    for (let since: string | undefined, page = await changes(since, 2); page.length > 0;) {
      paged.push(...page);
      since = page.at(-1)!.changeCursor;
      page = await changes(since, 2);
    }
    expect(paged).toEqual(all);
    expect(await changes(all.at(-1)!.changeCursor)).toEqual([]);
  });

  it('publishes the id and change cursor of each create and update on the project channel', async () => {
    const document = await createDocument(alice, projectId, { title: 'published' });
    const renamed = dataOf(
      await alice.request<{ updateDocument: { changeCursor: string } }>(RENAME, {
        id: document.id,
        version: 1,
        title: 'published, renamed',
      }),
    ).updateDocument;
    const mine = await eventually(() => {
      const found = published.filter((message) => message.id === document.id);
      return found.length >= 2 ? found : undefined;
    });
    expect(mine.at(-1)!.cursor).toBe(renamed.changeCursor);
    expect(mine[0]!.cursor < mine[1]!.cursor).toBe(true);
  });

  it('is NOT_FOUND for a project the caller may not see, and refuses a bad since or first', async () => {
    const mallory = test.as(userPrincipal('mallory'));
    expect(errorCodes(await mallory.request(CHANGES, { projectId }))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await alice.request(CHANGES, { projectId, since: 'soon' }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await alice.request(CHANGES, { projectId, first: 0 }))).toEqual([
      'BAD_USER_INPUT',
    ]);
    expect(errorCodes(await alice.request(CHANGES, { projectId, first: 101 }))).toEqual([
      'BAD_USER_INPUT',
    ]);
  });
});
