import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createEvent, createKafka, toKafkaMessage } from '@platform/events';
import { createLogger } from '@platform/logger';
import { eventually, postGraphQL as post, stackEndpoints, uniqueName } from '@platform/testing';
import {
  as,
  startCachingGateway,
  startTestSubgraphs,
  type CachingGateway,
  type TestSubgraphs,
} from './cache-platform.js';
import {
  startCacheInvalidationConsumer,
  tagsOfEvent,
} from '../../src/response-cache/event-invalidation.js';

const members = ['u-a', 'u-b'];

describe('tags of an event', () => {
  it("names the document, its project and the members' users (their notifications) for a document event", () => {
    const event = createEvent('document.deleted', {
      actor: { userId: 'u-a' },
      subject: { type: 'Document', id: 'd1' },
      data: { projectId: 'p1', title: 'Gone', memberIds: members },
    });
    expect(tagsOfEvent(event)).toEqual(['Document:d1', 'Project:p1', 'User:u-a', 'User:u-b']);
  });

  it("names the new member's user and all their entries when they join a project", () => {
    const event = createEvent('project.member_added', {
      actor: { userId: 'u-a' },
      subject: { type: 'Project', id: 'p1' },
      data: { name: 'Plan', userId: 'u-c', memberIds: members },
    });
    expect(tagsOfEvent(event)).toEqual(['Project:p1', 'User:u-c', '@user:u-c']);
  });

  it('names the members of a renamed project, and everything of whoever lost access to one', () => {
    const subject = { type: 'Project', id: 'p1' };
    const updated = createEvent('project.updated', {
      actor: { userId: 'u-a' },
      subject,
      data: { name: 'New', changedFields: ['name'], memberIds: members },
    });
    expect(tagsOfEvent(updated)).toEqual(['Project:p1', 'User:u-a', 'User:u-b']);
    const removed = createEvent('project.member_removed', {
      actor: { userId: 'u-a' },
      subject,
      data: { name: 'New', userId: 'u-b', memberIds: ['u-a'] },
    });
    expect(tagsOfEvent(removed)).toEqual(['Project:p1', 'User:u-b', '@user:u-b']);
    const deleted = createEvent('project.deleted', {
      actor: { userId: 'u-a' },
      subject,
      data: { name: 'New', ownerId: 'u-a', memberIds: members },
    });
    expect(tagsOfEvent(deleted)).toEqual([
      'Project:p1',
      'User:u-a',
      '@user:u-a',
      'User:u-b',
      '@user:u-b',
    ]);
  });

  it('names every entry of a user whose platform role changed', () => {
    const event = createEvent('user.role_changed', {
      actor: { userId: 'u-a' },
      subject: { type: 'User', id: 'u-b' },
      data: { role: 'ADMIN' },
    });
    expect(tagsOfEvent(event)).toEqual(['User:u-b', '@user:u-b']);
  });

  it('names the user of a user event', () => {
    const event = createEvent('user.api_key_revoked', {
      actor: { userId: 'u-a' },
      subject: { type: 'User', id: 'u-a' },
      data: { apiKeyId: 'k1' },
    });
    expect(tagsOfEvent(event)).toEqual(['User:u-a']);
  });
});

describe('cache invalidation from Kafka', () => {
  const logger = createLogger('cache-invalidation-test', { level: 'silent' });
  const kafka = createKafka('cache-invalidation-test', stackEndpoints().kafka.brokers, logger);
  let subgraphs: TestSubgraphs;
  let gateway: CachingGateway;

  beforeAll(async () => {
    subgraphs = await startTestSubgraphs();
    gateway = await startCachingGateway(subgraphs.supergraphSdl);
  });

  afterAll(async () => {
    await gateway.stop();
    await subgraphs.stop();
  });

  it('invalidates the cached responses holding the subject of an event it consumes', async () => {
    const documentId = uniqueName('doc');
    const projectId = uniqueName('project');
    subgraphs.state.members.set(projectId, new Set(members));
    subgraphs.state.documents.set(documentId, { id: documentId, title: 'Before', projectId });
    const userB = await as('u-b');
    const read = {
      query: 'query ($id: ID!) { document(id: $id) { title } }',
      variables: { id: documentId },
    };
    await post(gateway.url, read, userB);
    subgraphs.state.documents.get(documentId)!.title = 'After';
    expect((await post(gateway.url, read, userB)).body.data).toEqual({
      document: { title: 'Before' },
    });

    const consumer = startCacheInvalidationConsumer({
      kafka,
      store: gateway.store,
      logger,
      groupId: uniqueName('gateway-cache-invalidation-test'),
    });
    const producer = kafka.producer();
    try {
      await consumer.ready;
      await producer.connect();
      const event = createEvent('document.updated', {
        actor: { userId: 'u-a' },
        subject: { type: 'Document', id: documentId },
        data: {
          projectId,
          title: 'After',
          version: 2,
          changedFields: ['title'],
          memberIds: members,
        },
      });
      const { topic, message } = toKafkaMessage(event);
      await producer.send({ topic, messages: [message] });

      await eventually(
        async () => {
          expect((await post(gateway.url, read, userB)).body.data).toEqual({
            document: { title: 'After' },
          });
          return true;
        },
        { timeoutMs: 45_000 },
      );
    } finally {
      await producer.disconnect();
      await consumer.stop();
    }
    // A new consumer group joins and reads the event topics from their beginning first.
  }, 60_000);
});
