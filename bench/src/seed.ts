import { setTimeout as sleep } from 'node:timers/promises';
import { postGraphQL } from './graphql-client.js';
import { DASHBOARD_QUERY, SEED_SHAPE, type DashboardData } from './query.js';
import {
  ADD_MEMBER,
  CREATE_DOCUMENT,
  CREATE_PROJECT,
  mutate,
  signUp,
  UPDATE_DOCUMENT,
  type BenchUser,
} from './world-api.js';

/** The seeded world: the user whose dashboard is benchmarked, and the member who edits. */
export interface SeededWorld {
  owner: BenchUser;
  member: BenchUser;
}

export function documentBody(project: number, document: number) {
  return {
    blocks: [
      { type: 'heading', text: `Section ${project}.${document}` },
      { type: 'paragraph', text: 'Seeded by npm run bench. '.repeat(4).trim() },
    ],
  };
}

/** How far the consumers are: whether the owner's dashboard already shows every seeded event. */
function caughtUp(data: DashboardData): boolean {
  const expectedNotifications = SEED_SHAPE.projects * SEED_SHAPE.memberEditsPerProject;
  const expectedEdits = SEED_SHAPE.ownerEditsPerProject + SEED_SHAPE.memberEditsPerProject;
  const me = data.me;
  if (!me) return false;
  const projects = me.projects.edges;
  return (
    projects.length === SEED_SHAPE.projects &&
    projects.every(
      ({ node }) =>
        node.stats.documents === SEED_SHAPE.documentsPerProject &&
        node.stats.edits === expectedEdits,
    ) &&
    me.notifications.edges.length === expectedNotifications &&
    me.unreadCount === expectedNotifications
  );
}

/**
 * Seeds through the gateway, as clients would: the owner creates the projects (each with the
 * member added) and their documents, both edit some, and the member's edits notify the owner.
 * Then waits until analytics and notification have consumed every event, so all targets serve
 * the same, complete dashboard.
 */
export async function seed(
  gatewayUrl: string,
  { timeoutMs, onWait }: { timeoutMs: number; onWait?: (elapsedMs: number) => void },
): Promise<SeededWorld> {
  const owner = await signUp(gatewayUrl, 'Bench Owner');
  const member = await signUp(gatewayUrl, 'Bench Member');

  for (let p = 1; p <= SEED_SHAPE.projects; p += 1) {
    const { createProject } = await mutate<{ createProject: { id: string } }>(
      gatewayUrl,
      owner,
      CREATE_PROJECT,
      { name: `Bench project ${p}`, description: `Project ${p} of the benchmark seed` },
    );
    const projectId = createProject.id;
    await mutate(gatewayUrl, owner, ADD_MEMBER, { projectId, userId: member.id });

    const documentIds: string[] = [];
    for (let d = 1; d <= SEED_SHAPE.documentsPerProject; d += 1) {
      const { createDocument } = await mutate<{ createDocument: { id: string } }>(
        gatewayUrl,
        owner,
        CREATE_DOCUMENT,
        {
          input: {
            projectId,
            title: `Document ${p}.${d}`,
            body: documentBody(p, d),
            tags: ['bench', d % 2 === 0 ? 'even' : 'odd'],
          },
        },
      );
      documentIds.push(createDocument.id);
    }

    const editors: BenchUser[] = [
      ...Array<BenchUser>(SEED_SHAPE.ownerEditsPerProject).fill(owner),
      ...Array<BenchUser>(SEED_SHAPE.memberEditsPerProject).fill(member),
    ];
    for (const [index, editor] of editors.entries()) {
      await mutate(gatewayUrl, editor, UPDATE_DOCUMENT, {
        id: documentIds[index],
        expectedVersion: 1,
        patch: { title: `Document ${p}.${index + 1} (edited)` },
      });
    }
  }

  const started = Date.now();
  for (;;) {
    const answer = await postGraphQL<DashboardData>(gatewayUrl, DASHBOARD_QUERY, {}, owner.token);
    if (answer.status === 200 && !answer.errors?.length && answer.data && caughtUp(answer.data)) {
      return { owner, member };
    }
    const elapsed = Date.now() - started;
    if (elapsed > timeoutMs) {
      throw new Error(
        `analytics and notification did not catch up with the seed within ${timeoutMs / 1000} s; ` +
          `last answer (HTTP ${answer.status}): ${answer.body.slice(0, 2000)}`,
      );
    }
    onWait?.(elapsed);
    await sleep(500);
  }
}
