import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { randomUUID } from 'node:crypto';
import { MongoClient, type CommandStartedEvent, type Document } from 'mongodb';
import pg from 'pg';
import {
  dataOf,
  eventually,
  readsBetween,
  stackEndpoints,
  tableReads,
  userPrincipal,
  type TableReads,
} from '@platform/testing';
import {
  dataCollections,
  membershipId,
  type DocumentRecord,
  type ProjectMemberRecord,
  type ProjectRecord,
} from '../src/repositories/index.js';
import { collectionOfTable, explainFind } from './ferretdb-explain.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

/**
 * The data subgraph's part of the benchmark dashboard (bench/src/query.ts), as the gateway sends
 * it: the caller's projects with their documents (a User reference), then the documents the
 * caller's notifications are about (Document references).
 */
const DASHBOARD_PROJECTS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User {
      projects(first: 5) {
        edges { node { __typename id name createdAt documents(first: 10) {
          edges { node { __typename id title tags version updatedAt author { __typename id } } }
        } } }
      }
    }
  }
}`;
const NOTIFICATION_SUBJECTS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on Document { id title } }
}`;

/** The benchmark seed's shape for the caller. */
const PROJECTS = 5;
const DOCUMENTS_PER_PROJECT = 10;
const SUBJECTS = 10;
/** Other users' data in the same collections: a scan of it would read thousands of rows. */
const OTHER_PROJECTS = 400;
const DOCUMENTS_PER_OTHER_PROJECT = 10;

/**
 * PostgreSQL backends flush their statistics at most every second and, when idle, within
 * PGSTAT_IDLE_INTERVAL (10 s): waiting this long after the last statement sees all of them.
 */
const STATISTICS_FLUSH_MS = 11_000;

type ProjectsAnswer = {
  _entities: Array<{
    projects: { edges: Array<{ node: { documents: { edges: unknown[] } } }> };
  }>;
};

describe('the dashboard reads only the rows it shows, from indexes', () => {
  let test: TestSubgraph;
  let alice: Caller;
  let explainer: MongoClient;
  let statistics: pg.Client;
  const subjectIds: string[] = [];
  const finds: Document[] = [];
  const reads = new Map<string, TableReads>();
  let shown: { projects: number; documents: number };

  const readsOfSchema = async () =>
    new Map(
      [...(await tableReads(statistics, test.database))].map(([table, counters]) => [
        collectionOfTable(table),
        counters,
      ]),
    );

  beforeAll(async () => {
    // Command monitoring on the subgraph's own client records every command it sends.
    test = await startTestSubgraph('data_index_use', {
      env: { MONGO_URL: `${stackEndpoints().mongo.url}?monitorCommands=true` },
    });
    explainer = await MongoClient.connect(stackEndpoints().mongo.url);
    // FerretDB keeps each MongoDB database as a schema of PostgreSQL database `ferretdb`.
    statistics = new pg.Client({ connectionString: stackEndpoints().postgres.url('ferretdb') });
    await statistics.connect();

    alice = test.as(userPrincipal('alice'));
    // Records as the subgraph stores them, inserted directly: this test is about reading them.
    const now = Date.now();
    const project = (owner: string, index: number): ProjectRecord => ({
      _id: randomUUID(),
      name: `${owner} ${index}`,
      description: null,
      ownerId: owner,
      createdAt: new Date(now - index * 1000),
      version: 1,
    });
    const documentsOf = (of: ProjectRecord, count: number): DocumentRecord[] =>
      Array.from({ length: count }, (_, d) => ({
        _id: randomUUID(),
        projectId: of._id,
        title: `${of.name}.${d}`,
        bodyJson: JSON.stringify({ text: 'x'.repeat(200) }),
        tags: ['seeded'],
        authorId: of.ownerId,
        version: 1,
        createdAt: new Date(of.createdAt.getTime() - d),
        updatedAt: new Date(of.createdAt.getTime() - d),
      }));
    const alicesProjects = Array.from({ length: PROJECTS }, (_, p) => project('alice', p));
    const othersProjects = Array.from({ length: OTHER_PROJECTS }, (_, p) =>
      project(`other-${p % 50}`, PROJECTS + p),
    );
    const alicesDocuments = alicesProjects.map((of) => documentsOf(of, DOCUMENTS_PER_PROJECT));
    subjectIds.push(
      ...alicesDocuments.flatMap((documents) =>
        documents.slice(0, SUBJECTS / PROJECTS).map((document) => document._id),
      ),
    );
    const ownership = (of: ProjectRecord): ProjectMemberRecord => ({
      _id: membershipId(of._id, of.ownerId),
      projectId: of._id,
      userId: of.ownerId,
      joinedAt: of.createdAt,
      projectCreatedAt: of.createdAt,
    });
    const { projects, projectMembers, documents } = dataCollections(test.subgraph.db);
    await projects.insertMany([...alicesProjects, ...othersProjects]);
    await projectMembers.insertMany([...alicesProjects, ...othersProjects].map(ownership));
    await documents.insertMany([
      ...alicesDocuments.flat(),
      ...othersProjects.flatMap((of) => documentsOf(of, DOCUMENTS_PER_OTHER_PROJECT)),
    ]);
    // PostgreSQL's planner works from the table statistics that autovacuum gathers in the
    // background; gather them now, as they would be on a long-running stack.
    for (const table of (await tableReads(statistics, test.database)).keys()) {
      await statistics.query(
        `ANALYZE ${pg.escapeIdentifier(test.database)}.${pg.escapeIdentifier(table)}`,
      );
    }
    // Building the indexes at start-up scanned the (then empty) tables; wait until those scans
    // are counted, so the counters read now grow only by what the dashboard runs.
    await new Promise((resolve) => setTimeout(resolve, STATISTICS_FLUSH_MS));
    const before = await readsOfSchema();

    test.subgraph.db.client.on('commandStarted', (event: CommandStartedEvent) => {
      if (event.databaseName === test.database) finds.push(event.command);
    });
    const projectsAnswer = dataOf(
      await alice.request<ProjectsAnswer>(DASHBOARD_PROJECTS, {
        representations: [{ __typename: 'User', id: 'alice' }],
      }),
    );
    const subjects = dataOf(
      await alice.request<{ _entities: unknown[] }>(NOTIFICATION_SUBJECTS, {
        representations: subjectIds.map((id) => ({ __typename: 'Document', id })),
      }),
    );
    const listed = projectsAnswer._entities[0]!.projects.edges;
    shown = {
      // The listed projects, and the projects of the subjects (whose visibility depends on them).
      projects: listed.length + PROJECTS,
      documents:
        listed.reduce((sum, { node }) => sum + node.documents.edges.length, 0) +
        subjects._entities.length,
    };
    expect(shown).toEqual({ projects: 2 * PROJECTS, documents: 60 });

    // Every find is one scan of its table; wait until PostgreSQL has counted all of them.
    const findsOn = (collection: string) => finds.filter((find) => find.find === collection);
    const after = await eventually(
      async () => {
        const now = await readsOfSchema();
        const complete = ['projects', 'project_members', 'documents'].every((collection) => {
          const grown = readsBetween(before.get(collection), now.get(collection)!);
          return grown.sequentialScans + grown.indexScans >= findsOn(collection).length;
        });
        return complete ? now : undefined;
      },
      { timeoutMs: 3 * STATISTICS_FLUSH_MS, intervalMs: 500, what: 'PostgreSQL statistics' },
    );
    for (const [collection, counters] of after) {
      reads.set(collection, readsBetween(before.get(collection), counters));
    }
  }, 180_000);

  afterAll(async () => {
    await statistics?.end();
    await explainer?.close();
    await test?.close();
  });

  it('sends only finds, on projects, their members and documents', () => {
    expect(new Set(finds.map((find) => Object.keys(find)[0]))).toEqual(new Set(['find']));
    expect(new Set(finds.map((find) => String(find.find)))).toEqual(
      new Set(['projects', 'project_members', 'documents']),
    );
  });

  it('has FerretDB push every filter down to SQL that PostgreSQL plans as an index scan', async () => {
    for (const find of finds) {
      const explained = await explainFind(explainer, test.database, find);
      const shape = JSON.stringify({ find: find.find, filter: find.filter });
      expect({
        shape,
        filterPushdown: explained.filterPushdown,
        nodes: explained.scans.map((scan) => scan.node),
      }).toEqual({
        shape,
        filterPushdown: true,
        nodes: expect.arrayContaining(['Bitmap Index Scan']),
      });
      expect({ shape, nodes: explained.scans.map((scan) => scan.node) }).not.toEqual({
        shape,
        nodes: expect.arrayContaining(['Seq Scan']),
      });
    }
  });

  it('reads, by index and never by a sequential scan, no more rows than it shows', () => {
    expect(reads.get('projects')).toMatchObject({
      sequentialScans: 0,
      rowsReadBySequentialScans: 0,
    });
    expect(reads.get('documents')).toMatchObject({
      sequentialScans: 0,
      rowsReadBySequentialScans: 0,
    });
    expect(reads.get('project_members')).toMatchObject({
      sequentialScans: 0,
      rowsReadBySequentialScans: 0,
    });
    expect(reads.get('projects')!.rowsFetchedByIndexScans).toBeLessThanOrEqual(shown.projects);
    // One membership per project shown: the caller's, listed or checked.
    expect(reads.get('project_members')!.rowsFetchedByIndexScans).toBeLessThanOrEqual(
      shown.projects,
    );
    expect(reads.get('documents')!.rowsFetchedByIndexScans).toBeLessThanOrEqual(shown.documents);
  });

  describe('the same checks catch a query no index serves (they can fail)', () => {
    it('a filter on an unindexed field: pushed down, planned as a Seq Scan', async () => {
      const explained = await explainFind(explainer, test.database, {
        find: 'documents',
        filter: { title: 'a title no index serves' },
      });
      expect(explained.filterPushdown).toBe(true);
      expect(explained.scans.map((scan) => scan.node)).toContain('Seq Scan');
    });

    it('the five lists batched by $in: not pushed down, so FerretDB would read every document', async () => {
      const projectIds = [
        ...new Set(
          finds
            .filter((find) => find.find === 'documents' && find.filter?.projectId)
            .map((find) => String(find.filter.projectId)),
        ),
      ];
      expect(projectIds).toHaveLength(PROJECTS);
      const explained = await explainFind(explainer, test.database, {
        find: 'documents',
        filter: { projectId: { $in: projectIds } },
      });
      expect(explained).toMatchObject({ filterPushdown: false, limitPushdown: false });
      expect(explained.scans).toEqual([expect.objectContaining({ node: 'Seq Scan' })]);
    });

    it('a scan the store really ran shows in the counters', async () => {
      const before = await readsOfSchema();
      await test.subgraph.db.collection('documents').findOne({ title: 'a title no index serves' });
      const grown = await eventually(
        async () => {
          const now = readsBetween(
            before.get('documents'),
            (await readsOfSchema()).get('documents')!,
          );
          return now.sequentialScans > 0 ? now : undefined;
        },
        { timeoutMs: 3 * STATISTICS_FLUSH_MS, intervalMs: 500, what: 'the scan in the statistics' },
      );
      expect(grown.rowsReadBySequentialScans).toBeGreaterThanOrEqual(
        OTHER_PROJECTS * DOCUMENTS_PER_OTHER_PROJECT,
      );
    }, 60_000);
  });
});
