import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Kafka, logLevel } from 'kafkajs';
import { eventually, stackEndpoints } from '@platform/testing';
import { createDocument, graphql, sharedProject, type SignedUpUser, signUp } from './platform.js';
import { startPlatformProcess, type PlatformProcess } from './platform-process.js';
import { subscribe, type Subscriber } from './subscriber.js';

/**
 * `npm start` heals: scripts/platform.ts runs the five services as they run for a developer, a
 * kill -9 of one is restarted by the supervisor with no step by a person, the others serve
 * meanwhile, and its Kafka consumer rejoins its group within seconds and delivers what was caused
 * while it was down. SIGTERM still stops everything gracefully, every consumer leaving its group.
 */
let platform: PlatformProcess;
let alice: SignedUpUser;
let bob: SignedUpUser;
let projectId: string;
let documentId: string;
let version = 1;
let subscriber: Subscriber | undefined;

const NOTIFICATION_ADDED = `subscription { notificationAdded { id cursor message } }`;

/** Bob edits the shared document's title; every edit notifies Alice. */
async function bobEdits(title: string): Promise<void> {
  const result = await graphql<{ updateDocument: { version: number } }>(
    platform.gatewayUrl,
    'mutation ($id: ID!, $version: Int!, $title: String!) { updateDocument(id: $id, expectedVersion: $version, patch: { title: $title }) { version } }',
    { id: documentId, version, title },
    bob,
  );
  expect(result.errors).toBeUndefined();
  version = result.data!.updateDocument.version;
}

/** The title each received notification was about, from its message. */
const titles = (received: Array<Record<string, unknown>>) =>
  received.map((notification) => /"(.*)"/.exec(String(notification.message))?.[1]);

beforeAll(async () => {
  platform = await startPlatformProcess();
  const url = platform.gatewayUrl;
  [alice, bob] = [await signUp(url, 'alice'), await signUp(url, 'bob')];
  projectId = await sharedProject(url, alice, 'Lighthouse', [bob]);
  documentId = await createDocument(url, alice, projectId);
}, 150_000);

afterAll(async () => {
  await subscriber?.close();
  await platform?.dispose();
}, 60_000);

describe('npm start', () => {
  it('restarts a notification subgraph killed with -9 while the gateway keeps answering, and delivers what was caused meanwhile', async () => {
    subscriber = subscribe(platform.gatewayUrl, alice.token, NOTIFICATION_ADDED);
    // The subscription is live once an edit reaches it (an edit before that is not replayed).
    let edits = 0;
    while (subscriber.received.length === 0 && edits < 20) {
      await bobEdits(`before ${edits++}`);
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    // Then every edit made so far is delivered before the kill (notifications arrive in order,
    // so a last one received means all before it are): one resolved while the subgraph is down
    // is another fault (issue 16, item 1), not this test's.
    await bobEdits('before the kill');
    await eventually(() => titles(subscriber!.received).includes('before the kill') || undefined, {
      what: 'the last notification before the kill',
    });
    // The gateway may still be resolving a frame it will drop (a live copy of one a gap's replay
    // already sent): let it finish, so the kill does not land in the middle of it.
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    const killedPid = platform.pidOf('notification');
    const linesBefore = platform.lines.length;
    process.kill(killedPid, 'SIGKILL');
    const killedAt = Date.now();
    const exit = await platform.waitForLine(
      (line) => line.managedService === 'notification' && line.pid === killedPid,
      { after: linesBefore, what: "the supervisor seeing the notification subgraph's death" },
    );
    expect(exit).toMatchObject({
      msg: 'service exited unexpectedly; restarting it',
      signal: 'SIGKILL',
    });

    // What does not need the notification subgraph is served meanwhile, changes included.
    const me = await graphql<{ me: { id: string } }>(
      platform.gatewayUrl,
      '{ me { id } }',
      {},
      alice,
    );
    expect(me.data?.me.id).toBe(alice.id);
    const project = await graphql<{ project: { name: string } }>(
      platform.gatewayUrl,
      'query ($id: ID!) { project(id: $id) { name } }',
      { id: projectId },
      bob,
    );
    expect(project.data?.project.name).toBe('Lighthouse');
    await bobEdits('while down 1');
    await bobEdits('while down 2');
    const receivedBefore = subscriber.received.length;

    const ready = await platform.waitForLine(
      (line) => line.managedService === 'notification' && line.msg === 'service ready',
      { after: linesBefore, timeoutMs: 60_000, what: 'the notification subgraph restarted' },
    );
    expect(ready.pid).not.toBe(killedPid);

    // How soon a restarted consumer rejoins is packages/events/test/consumer-group.test.ts's
    // (well within 30 s); here: nothing caused meanwhile is lost, however loaded the machine is.
    const received = await subscriber
      .waitFor(receivedBefore + 2, 90_000)
      .catch((error: unknown) => {
        const lines = platform.lines.slice(linesBefore);
        const notification = lines.filter((line) => line.managedService === 'notification');
        throw new Error(
          `${String(error)}; ${Date.now() - killedAt} ms after the kill; the supervisor's lines about the notification subgraph since: ${JSON.stringify(notification.slice(-20))}`,
        );
      });
    expect(titles(received.slice(receivedBefore))).toEqual(['while down 1', 'while down 2']);
    expect(subscriber.errors).toEqual([]);
  }, 180_000);

  it('stops every service gracefully on SIGTERM, each consumer leaving its group', async () => {
    expect(await platform.stop()).toBe(0);
    expect(platform.lines.find((line) => line.msg === 'platform stopped')).toMatchObject({
      clean: true,
    });

    const admin = new Kafka({
      brokers: stackEndpoints().kafka.brokers,
      logLevel: logLevel.NOTHING,
    }).admin();
    await admin.connect();
    try {
      const { groups } = await admin.describeGroups([
        platform.groups.notification,
        platform.groups.analytics,
      ]);
      // A member that did not leave would stay listed until its session timed out.
      const states = Object.fromEntries(
        groups.map((group) => [group.groupId, [group.state, group.members.length]]),
      );
      expect(states).toEqual({
        [platform.groups.notification]: ['Empty', 0],
        [platform.groups.analytics]: ['Empty', 0],
      });
    } finally {
      await admin.disconnect();
    }
  }, 60_000);
});
