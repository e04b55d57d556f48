import { setTimeout as sleep } from 'node:timers/promises';
import pMap from 'p-map';
import { postGraphQL } from './graphql-client.js';
import { SEED_SHAPE } from './query.js';
import type { OtherData } from './scales.js';
import { documentBody } from './seed.js';
import {
  CREATE_DOCUMENT,
  CREATE_PROJECT,
  mutateWithRetry,
  signUp,
  type BenchUser,
} from './world-api.js';
import type { NewDocument } from './direct-documents.js';

const OWN_PROJECT_STATS = `query BenchGrowthCheck {
  me { projects(first: ${SEED_SHAPE.projects}) { edges { node { stats { documents } } } } }
}`;

interface ProjectStats {
  me: { projects: { edges: Array<{ node: { stats: { documents: number } } }> } } | null;
}

/** signUp, again after a failure: a user that signed up twice is one more stranger, harmless. */
async function signUpPatiently(gatewayUrl: string, name: string, attempts = 4): Promise<BenchUser> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await signUp(gatewayUrl, name);
    } catch (error) {
      if (attempt >= attempts) throw error;
      await sleep(500 * attempt);
    }
  }
}

export interface Growth {
  /** Every other user so far (the ones before this growth too). */
  users: BenchUser[];
  /** Seconds spent writing through the gateway, and then waiting for the consumers. */
  writeSeconds: number;
  catchUpSeconds: number;
}

/**
 * Grows the database to `target` through the gateway, as production would: new users sign up,
 * each creates the seed's number of projects and documents, shared with nobody. Writes run
 * `concurrency` at a time. Then waits until analytics has counted every new document (the events
 * go through Kafka), so each measured scale is complete and quiet.
 */
export async function growOtherUsers(
  gatewayUrl: string,
  {
    existing,
    target,
    concurrency,
    timeoutMs,
    onWait,
    insertDocuments,
  }: {
    existing: BenchUser[];
    target: OtherData;
    concurrency: number;
    timeoutMs: number;
    onWait?: (elapsedMs: number, pending: number) => void;
    /**
     * Writes the documents some other way than createDocument through the gateway
     * (BENCH_GROW_VIA=driver); then analytics has no events for them and only the projects are
     * waited for.
     */
    insertDocuments?: (documents: NewDocument[]) => Promise<void>;
  },
): Promise<Growth> {
  const started = Date.now();
  const newUsers = await pMap(
    Array.from({ length: Math.max(0, target.users - existing.length) }, (_, index) => index),
    (index) => signUpPatiently(gatewayUrl, `Other user ${existing.length + index + 1}`),
    { concurrency },
  );
  const projects = await pMap(
    newUsers.flatMap((owner) =>
      Array.from({ length: SEED_SHAPE.projects }, (_, index) => ({ owner, number: index + 1 })),
    ),
    async ({ owner, number }) => {
      const { createProject } = await mutateWithRetry<{ createProject: { id: string } }>(
        gatewayUrl,
        owner,
        CREATE_PROJECT,
        { name: `Other project ${number}`, description: 'Shared with nobody' },
      );
      return { owner, number, id: createProject.id };
    },
    { concurrency },
  );
  const documents = projects.flatMap((project) =>
    Array.from({ length: SEED_SHAPE.documentsPerProject }, (_, index) => ({
      owner: project.owner,
      document: {
        projectId: project.id,
        authorId: project.owner.id,
        title: `Other document ${project.number}.${index + 1}`,
        body: documentBody(project.number, index + 1),
        tags: ['other'],
      },
    })),
  );
  if (insertDocuments) {
    await insertDocuments(documents.map(({ document }) => document));
  } else {
    await pMap(
      documents,
      ({ owner, document: { projectId, title, body, tags } }) =>
        mutateWithRetry(gatewayUrl, owner, CREATE_DOCUMENT, {
          input: { projectId, title, body, tags },
        }),
      { concurrency },
    );
  }
  const written = Date.now();

  let pending = newUsers;
  for (;;) {
    const counted = await pMap(
      pending,
      async (user) => {
        const answer = await postGraphQL<ProjectStats>(
          gatewayUrl,
          OWN_PROJECT_STATS,
          {},
          user.token,
        );
        const edges = answer.data?.me?.projects.edges ?? [];
        return (
          edges.length === SEED_SHAPE.projects &&
          (insertDocuments !== undefined ||
            // At least: a retried createDocument may have been applied twice.
            edges.every(({ node }) => node.stats.documents >= SEED_SHAPE.documentsPerProject))
        );
      },
      { concurrency },
    );
    pending = pending.filter((_, index) => !counted[index]);
    if (pending.length === 0) break;
    const elapsed = Date.now() - written;
    if (elapsed > timeoutMs) {
      throw new Error(
        `analytics did not count the new documents of ${pending.length} users within ${timeoutMs / 1000} s`,
      );
    }
    onWait?.(elapsed, pending.length);
    await sleep(500);
  }
  return {
    users: [...existing, ...newUsers],
    writeSeconds: (written - started) / 1000,
    catchUpSeconds: (Date.now() - written) / 1000,
  };
}
