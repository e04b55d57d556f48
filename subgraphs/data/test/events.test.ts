import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEvent, topicFor, type AnyEventEnvelope } from '@platform/events';
import { dataOf, errorCodes, eventually, uniqueName, userPrincipal } from '@platform/testing';
import type {
  ChangeCheck,
  ChangeIntentRecord,
  DocumentRecord,
  OutboxEntryRecord,
  ProjectRecord,
} from '../src/repositories/index.js';
import { eventOf } from '../src/repositories/index.js';
import type { VersionClaimRecord } from '../src/repositories/records.js';
import { listenToEvents, type EventListener, type ReceivedEvent } from './event-listener.js';
import { addMember, createDocument, createProject } from './fixtures.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

const UPDATE = `mutation ($id: ID!, $expectedVersion: Int!, $patch: DocumentPatch!) {
  updateDocument(id: $id, expectedVersion: $expectedVersion, patch: $patch) { id title version }
}`;
const DELETE = 'mutation ($id: ID!) { deleteDocument(id: $id) }';
const ADD_MEMBER = `mutation ($projectId: ID!, $userId: ID!) {
  addProjectMember(projectId: $projectId, userId: $userId) { id }
}`;
const CREATE_DOCUMENT = `mutation ($projectId: ID!) {
  createDocument(input: { projectId: $projectId, title: "Unwelcome" }) { id }
}`;

/** Users of this run only, so the listener keeps exactly the events these tests caused. */
const [aliceId, bobId, carolId, outsiderId] = ['alice', 'bob', 'carol', 'outsider'].map(
  uniqueName,
) as [string, string, string, string];

/** What a consumer sees of an event, without the parts that differ on every run. */
const seen = ({ topic, key, event }: ReceivedEvent) => ({
  topic,
  key,
  type: event.type,
  actor: event.actor,
  subject: event.subject,
  data: event.data,
});

describe('data events', () => {
  let listener: EventListener;
  let test: TestSubgraph;
  let alice: Caller;

  beforeAll(async () => {
    listener = await listenToEvents(new Set([aliceId, bobId, carolId, outsiderId]));
    test = await startTestSubgraph('data_events', { publishEvents: true });
    alice = test.as(userPrincipal(aliceId));
  });

  afterAll(async () => {
    await test?.close();
    await listener?.close();
  });

  const update = (caller: Caller, id: string, expectedVersion: number, patch: object) =>
    caller.request<{ updateDocument: { title: string; version: number } }>(UPDATE, {
      id,
      expectedVersion,
      patch,
    });

  const outboxOf = (db: TestSubgraph, subjectIds: string[]) =>
    db.subgraph.db
      .collection<OutboxEntryRecord>('outbox')
      .find({ 'event.subject.id': { $in: subjectIds } })
      .toArray();

  const intentsOf = (db: TestSubgraph, subjectIds: string[]) =>
    db.subgraph.db
      .collection<ChangeIntentRecord>('outbox_intents')
      .find({ 'event.subject.id': { $in: subjectIds } })
      .toArray();

  /** Waits until the relay marked every entry about these subjects published. */
  const allPublished = (db: TestSubgraph, subjectIds: string[]) =>
    eventually(async () => {
      const entries = await outboxOf(db, subjectIds);
      return entries.every((entry) => entry.status === 'published') ? entries : undefined;
    });

  it('publishes one valid event per committed change, on its aggregate topic keyed by its id', async () => {
    const projectId = await createProject(alice, 'Launch');
    await addMember(alice, projectId, bobId);
    const document = await createDocument(alice, projectId, { title: 'Plan', tags: ['q3'] });
    dataOf(await update(alice, document.id, 1, { title: 'Plan B', tags: ['q3'] }));
    dataOf(await alice.request(DELETE, { id: document.id }));

    const projectEvents = await listener.waitFor(projectId, (events) => events.length >= 2);
    const documentEvents = await listener.waitFor(document.id, (events) => events.length >= 3);
    const actor = { userId: aliceId };
    const projectMessage = { topic: topicFor('project'), key: projectId, actor };
    const project = { type: 'Project', id: projectId };
    expect(projectEvents.map(seen)).toEqual([
      {
        ...projectMessage,
        type: 'project.created',
        subject: project,
        data: { name: 'Launch', ownerId: aliceId, memberIds: [aliceId] },
      },
      {
        ...projectMessage,
        type: 'project.member_added',
        subject: project,
        data: { name: 'Launch', userId: bobId, memberIds: [aliceId, bobId] },
      },
    ]);
    const documentMessage = { topic: topicFor('document'), key: document.id, actor };
    const subject = { type: 'Document', id: document.id };
    const memberIds = [aliceId, bobId];
    expect(documentEvents.map(seen)).toEqual([
      {
        ...documentMessage,
        type: 'document.created',
        subject,
        data: { projectId, title: 'Plan', version: 1, memberIds },
      },
      {
        ...documentMessage,
        type: 'document.updated',
        subject,
        data: { projectId, title: 'Plan B', version: 2, changedFields: ['title'], memberIds },
      },
      {
        ...documentMessage,
        type: 'document.deleted',
        subject,
        data: { projectId, title: 'Plan B', memberIds },
      },
    ]);

    const entries = await allPublished(test, [projectId, document.id]);
    const published = [...projectEvents, ...documentEvents].map(({ event }) => event.id);
    expect(entries.map((entry) => entry._id).sort()).toEqual([...published].sort());
    expect(new Set(published).size).toBe(5);
    expect(await intentsOf(test, [projectId, document.id])).toEqual([]);
  });

  it('emits nothing for a VERSION_CONFLICT, a refused mutation or a member added twice', async () => {
    const bob = test.as(userPrincipal(bobId));
    const outsider = test.as(userPrincipal(outsiderId));
    const readOnly = test.as(userPrincipal(aliceId, { scopes: ['read'] }));
    const projectId = await createProject(alice, 'Guarded');
    const document = await createDocument(alice, projectId, { title: 'Draft' });
    dataOf(await update(alice, document.id, 1, { title: 'Second' }));

    expect(errorCodes(await update(alice, document.id, 1, { title: 'Stale' }))).toEqual([
      'VERSION_CONFLICT',
    ]);
    expect(errorCodes(await update(alice, document.id, 2, {}))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await update(outsider, document.id, 2, { title: 'Nope' }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(errorCodes(await readOnly.request(DELETE, { id: document.id }))).toEqual(['FORBIDDEN']);
    const racers = await Promise.all(
      Array.from({ length: 10 }, (_, racer) =>
        update(alice, document.id, 2, { title: `Racer ${racer}` }),
      ),
    );
    const winners = racers.flatMap((response) => response.data?.updateDocument ?? []);
    expect(winners).toHaveLength(1);
    // The last change of each aggregate comes after the refused ones on the same key, so the
    // same partition: whatever they had published would arrive before it.
    dataOf(await update(alice, document.id, 3, { tags: ['last'] }));

    await addMember(alice, projectId, bobId);
    const addMemberAs = (caller: Caller, userId: string) =>
      caller.request(ADD_MEMBER, { projectId, userId });
    expect(errorCodes(await addMemberAs(bob, carolId))).toEqual(['FORBIDDEN']);
    expect(errorCodes(await addMemberAs(outsider, carolId))).toEqual(['NOT_FOUND']);
    dataOf(await addMemberAs(alice, bobId));
    expect(errorCodes(await outsider.request(CREATE_DOCUMENT, { projectId }))).toEqual([
      'NOT_FOUND',
    ]);
    await addMember(alice, projectId, carolId);

    const documentEvents = await listener.waitFor(document.id, (events) =>
      events.some(({ event }) => event.type === 'document.updated' && event.data.version === 4),
    );
    expect(
      documentEvents.map(({ event }) =>
        event.type === 'document.updated'
          ? [event.data.version, event.data.title, event.data.changedFields]
          : [event.type],
      ),
    ).toEqual([
      ['document.created'],
      [2, 'Second', ['title']],
      [3, winners[0]?.title, ['title']],
      [4, winners[0]?.title, ['tags']],
    ]);
    const projectEvents = await listener.waitFor(projectId, (events) =>
      events.some(
        ({ event }) => event.type === 'project.member_added' && event.data.userId === carolId,
      ),
    );
    expect(
      projectEvents.map(({ event }) =>
        event.type === 'project.member_added' ? event.data.memberIds : event.type,
      ),
    ).toEqual(['project.created', [aliceId, bobId], [aliceId, bobId, carolId]]);

    expect(await allPublished(test, [projectId, document.id])).toHaveLength(7);
    expect(await intentsOf(test, [projectId, document.id])).toEqual([]);
  });

  it('emits one deletion for a document five requests delete at once', async () => {
    const projectId = await createProject(alice, 'Crowded');
    const document = await createDocument(alice, projectId, { title: 'Doomed' });
    const responses = await Promise.all(
      Array.from({ length: 5 }, () => alice.request(DELETE, { id: document.id })),
    );
    expect(responses.flatMap(errorCodes).sort()).toEqual(Array(4).fill('NOT_FOUND'));

    // Only outbox entries are ever published: one per change that happened.
    const entries = await allPublished(test, [document.id]);
    expect(entries.map((entry) => entry.event.type).sort()).toEqual([
      'document.created',
      'document.deleted',
    ]);
    expect(await intentsOf(test, [document.id])).toEqual([]);
    const events = await listener.waitFor(document.id, (received) => received.length >= 2);
    expect(events.map(({ event }) => event.id).sort()).toEqual(
      entries.map((entry) => entry._id).sort(),
    );
  });

  it('keeps the event of a change made while Kafka is unreachable until an instance that reaches Kafka publishes it', async () => {
    const offline = await startTestSubgraph('data_events_offline', {
      publishEvents: true,
      env: { KAFKA_BROKERS: '127.0.0.1:1' },
    });
    let online: TestSubgraph | undefined;
    try {
      const projectId = await createProject(offline.as(userPrincipal(aliceId)), 'Written offline');
      const [waiting] = await outboxOf(offline, [projectId]);
      expect(waiting).toMatchObject({ status: 'ready', event: { type: 'project.created' } });

      online = await startTestSubgraph('data_events_online', {
        publishEvents: true,
        database: offline.database,
      });
      const [delivered] = await listener.waitFor(projectId, (events) => events.length >= 1);
      expect(delivered?.event).toEqual(eventOf(waiting!.event));
      expect(await allPublished(online, [projectId])).toHaveLength(1);
    } finally {
      await online?.close();
      await offline.close();
    }
  });

  it('publishes, before a deletion, the visible change of a writer that died before enqueueing it', async () => {
    const { db } = test.subgraph;
    const projectId = await createProject(alice, 'Interrupted');
    const document = await createDocument(alice, projectId, { title: 'Draft' });
    // An update that wrote version 2 under its claim, then died before enqueueing its event.
    const orphan = createEvent('document.updated', {
      actor: { userId: aliceId },
      subject: { type: 'Document', id: document.id },
      data: {
        projectId,
        title: 'Final',
        version: 2,
        changedFields: ['title'],
        memberIds: [aliceId],
      },
    });
    await db.collection<ChangeIntentRecord>('outbox_intents').insertOne({
      _id: orphan.id,
      event: orphan,
      check: { kind: 'versioned', collection: 'documents', entityId: document.id, version: 2 },
      createdAt: new Date(orphan.occurredAt),
    });
    await db.collection<VersionClaimRecord>('document_versions').insertOne({
      _id: orphan.id,
      entityId: document.id,
      version: 2,
      claimedBy: aliceId,
      claimedAt: new Date(),
    });
    await db
      .collection<DocumentRecord>('documents')
      .updateOne({ _id: document.id }, { $set: { title: 'Final', version: 2 } });

    dataOf(await alice.request(DELETE, { id: document.id }));

    const events = await listener.waitFor(document.id, (received) =>
      received.some(({ event }) => event.type === 'document.deleted'),
    );
    expect(events.map(({ event }) => event.type)).toEqual([
      'document.created',
      'document.updated',
      'document.deleted',
    ]);
    expect(events[1]?.event).toEqual(orphan);
    expect(events[2]?.event.data).toEqual({ projectId, title: 'Final', memberIds: [aliceId] });
    expect(await intentsOf(test, [document.id])).toEqual([]);
    expect(await db.collection('document_versions').countDocuments({ entityId: document.id })).toBe(
      0,
    );
  });

  it('publishes the event of an unfinished change that is visible, and drops one that never happened', async () => {
    const { db } = test.subgraph;
    const longAgo = new Date(Date.now() - 5 * 60_000);
    const actor = { userId: aliceId };
    const memberIds = [aliceId];
    const project: ProjectRecord = {
      _id: randomUUID(),
      name: 'Recovered',
      description: null,
      ownerId: aliceId,
      createdAt: longAgo,
      version: 1,
    };
    const documentAt = (version: number): DocumentRecord => ({
      _id: randomUUID(),
      projectId: project._id,
      title: 'Recovered',
      bodyJson: null,
      tags: [],
      authorId: aliceId,
      version,
      createdAt: longAgo,
      updatedAt: longAgo,
    });
    const created = (id: string) =>
      createEvent('project.created', {
        actor,
        subject: { type: 'Project', id },
        data: { name: 'Recovered', ownerId: aliceId, memberIds },
        occurredAt: longAgo,
      });
    const updated = (id: string) =>
      createEvent('document.updated', {
        actor,
        subject: { type: 'Document', id },
        data: {
          projectId: project._id,
          title: 'Recovered',
          version: 2,
          changedFields: ['title'],
          memberIds,
        },
        occurredAt: longAgo,
      });
    const deleted = (id: string) =>
      createEvent('document.deleted', {
        actor,
        subject: { type: 'Document', id },
        data: { projectId: project._id, title: 'Recovered', memberIds },
        occurredAt: longAgo,
      });
    const claim = (entityId: string, claimId: string): VersionClaimRecord => ({
      _id: claimId,
      entityId,
      version: 2,
      claimedBy: aliceId,
      claimedAt: longAgo,
    });

    // Writers that died after their change: the project exists; the document reached version 2
    // through this intent's claim; the other document is gone after this intent's claim.
    const updatedDocument = documentAt(2);
    const goneId = randomUUID();
    const visible = [created(project._id), updated(updatedDocument._id), deleted(goneId)];
    // Writers that died before theirs: the project never appeared; the document reached
    // version 2, but through a competitor's claim; the other document was never deleted.
    const raced = documentAt(2);
    const kept = documentAt(1);
    const invisible = [created(randomUUID()), updated(raced._id), deleted(kept._id)];
    // A deleter that came after the deletion was enqueued and the ledger forgotten: it claimed
    // the deleting version again, found nothing to delete, and died before giving the claim back.
    const lateId = randomUUID();
    const [announced, late] = [deleted(lateId), deleted(lateId)];
    await db.collection<OutboxEntryRecord>('outbox').insertOne({
      _id: announced.id,
      event: announced,
      status: 'published',
      createdAt: longAgo,
      publishedAt: longAgo,
    });

    await db.collection<ProjectRecord>('projects').insertOne(project);
    await db.collection<DocumentRecord>('documents').insertMany([updatedDocument, raced, kept]);
    await db
      .collection<VersionClaimRecord>('document_versions')
      .insertMany([
        claim(updatedDocument._id, visible[1]!.id),
        claim(goneId, visible[2]!.id),
        claim(raced._id, randomUUID()),
        claim(lateId, late.id),
      ]);
    const checks = (ids: [string, string, string]): ChangeCheck[] => [
      { kind: 'created', collection: 'projects', entityId: ids[0] },
      { kind: 'versioned', collection: 'documents', entityId: ids[1], version: 2 },
      { kind: 'deleted', collection: 'documents', entityId: ids[2], version: 2 },
    ];
    const intents = (events: AnyEventEnvelope[]): ChangeIntentRecord[] => {
      const subjects = events.map((event) => event.subject.id) as [string, string, string];
      return checks(subjects).map((check, index) => ({
        _id: events[index]!.id,
        event: events[index]!,
        check,
        createdAt: longAgo,
      }));
    };
    await db.collection<ChangeIntentRecord>('outbox_intents').insertMany([
      ...intents(visible),
      ...intents(invisible),
      {
        _id: late.id,
        event: late,
        check: { kind: 'deleted', collection: 'documents', entityId: lateId, version: 2 },
        createdAt: longAgo,
      },
    ]);

    for (const event of visible) {
      const [delivered] = await listener.waitFor(event.subject.id, (events) => events.length >= 1);
      expect(delivered?.event).toEqual(event);
    }
    const subjects = [...visible, ...invisible, late].map((event) => event.subject.id);
    await eventually(async () =>
      (await intentsOf(test, subjects)).length === 0 ? true : undefined,
    );
    const entries = await allPublished(test, subjects);
    expect(entries.map((entry) => entry._id).sort()).toEqual(
      [...visible, announced].map((event) => event.id).sort(),
    );
    expect(await db.collection('document_versions').countDocuments({ entityId: goneId })).toBe(0);
  });
});
