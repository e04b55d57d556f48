import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { createEvent } from '@platform/events';
import { createLogger } from '@platform/logger';
import { userPrincipal } from '@platform/testing';
import { reconcileStaleIntents } from '../src/domain/outbox-reconciler.js';
import { registerDataMetrics } from '../src/metrics.js';
import {
  createRepositories,
  dataCollections,
  membershipId,
  storedEvent,
  type Repositories,
} from '../src/repositories/index.js';
import { createProject } from './fixtures.js';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

/**
 * A member change is its membership row and roster entry, written under the claim on the
 * project's next version before the version moves on. A writer that died in between left the
 * member changed and the version behind: the reconciler publishes the event of such a change,
 * and drops the intent of one whose row never changed.
 */
describe('the reconciler and member changes whose writer died', () => {
  let test: TestSubgraph;
  let repositories: Repositories;
  const logger = createLogger('member-reconcile-test', { level: 'silent' });
  const longAgo = new Date(Date.now() - 5 * 60_000);

  beforeAll(async () => {
    test = await startTestSubgraph('data_member_reconcile');
    const metrics = registerDataMetrics(new Registry());
    repositories = createRepositories(dataCollections(test.subgraph.db), metrics.storeQueries);
  });

  afterAll(() => test.close());

  /** Leaves what a writer adding `userId` leaves when it dies, with or without its row. */
  async function diedAdding(projectId: string, userId: string, wroteRow: boolean) {
    const project = (await repositories.projects.findById(projectId))!;
    const event = createEvent('project.member_added', {
      actor: { userId: 'alice' },
      subject: { type: 'Project', id: projectId },
      data: { name: project.name, userId, memberIds: ['alice', userId] },
      occurredAt: longAgo,
    });
    const version = project.version + 1;
    const { changeIntents, projectVersions } = dataCollections(test.subgraph.db);
    await changeIntents.insertOne({
      _id: event.id,
      event: storedEvent(event),
      check: {
        kind: 'membership',
        collection: 'projects',
        entityId: projectId,
        version,
        userId,
        member: true,
      },
      createdAt: longAgo,
    });
    await projectVersions.insertOne({
      _id: event.id,
      entityId: projectId,
      version,
      claimedBy: 'alice',
      claimedAt: longAgo,
    });
    if (wroteRow) {
      await repositories.projectMembers.insert({
        _id: membershipId(projectId, userId),
        projectId,
        userId,
        joinedAt: longAgo,
        projectCreatedAt: project.createdAt,
      });
    }
    return event.id;
  }

  it('enqueues the event of a member added before the version moved, drops one never added', async () => {
    const alice = test.as(userPrincipal('alice'));
    const added = await diedAdding(await createProject(alice, 'Half done'), 'bob', true);
    const never = await diedAdding(await createProject(alice, 'Not begun'), 'carol', false);

    await reconcileStaleIntents(repositories, new Date(), logger);

    const { outbox, changeIntents } = dataCollections(test.subgraph.db);
    expect(await changeIntents.countDocuments({ _id: { $in: [added, never] } })).toBe(0);
    const entries = await outbox.find({ _id: { $in: [added, never] } }).toArray();
    expect(entries.map((entry) => entry._id)).toEqual([added]);
  });
});
