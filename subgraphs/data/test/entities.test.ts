import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { dataOf, userPrincipal } from '@platform/testing';
import { createDocument, createProject } from './fixtures.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

const ENTITIES = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    __typename
    ... on Document { id title author { __typename id } project { id name } }
    ... on Project { id name owner { __typename id } members { edges { node { user { __typename id } } } } }
    ... on User { id projects(first: 10) { edges { node { id } } } }
  }
}`;

type Entity = Record<string, unknown> | null;

describe('entity references', () => {
  let test: TestSubgraph;
  let alice: Caller;
  let bob: Caller;
  let projectId: string;
  let otherProjectId: string;
  const documentIds: string[] = [];

  beforeAll(async () => {
    test = await startTestSubgraph('data_entities');
    alice = test.as(userPrincipal('alice'));
    bob = test.as(userPrincipal('bob'));
    projectId = await createProject(alice, 'Referenced');
    otherProjectId = await createProject(alice, 'Also referenced');
    for (let index = 0; index < 50; index++) {
      const target = index % 2 === 0 ? projectId : otherProjectId;
      documentIds.push((await createDocument(alice, target, { title: `Doc ${index}` })).id);
    }
  });

  afterAll(() => test.close());

  const entities = async (caller: Caller, representations: Array<Record<string, string>>) =>
    dataOf(await caller.request<{ _entities: Entity[] }>(ENTITIES, { representations }))._entities;

  async function counter(name: string, labels: Record<string, string>): Promise<number> {
    const metric = await test.subgraph.metrics.getSingleMetric(name)?.get();
    const matching = metric?.values.filter((value) =>
      Object.entries(labels).every(([key, label]) => value.labels[key] === label),
    );
    return (matching ?? []).reduce((sum, value) => sum + value.value, 0);
  }

  it('resolves 50 Document representations with one batch per entity type, one lookup per id', async () => {
    const before = {
      documentBatches: await counter('data_reference_batches_total', { type: 'Document' }),
      projectBatches: await counter('data_reference_batches_total', { type: 'Project' }),
      documentQueries: await counter('data_store_queries_total', { collection: 'documents' }),
      projectQueries: await counter('data_store_queries_total', { collection: 'projects' }),
    };
    const resolved = await entities(
      alice,
      documentIds.map((id) => ({ __typename: 'Document', id })),
    );
    expect(resolved.map((entity) => entity?.id)).toEqual(documentIds);
    expect(resolved[0]).toEqual({
      __typename: 'Document',
      id: documentIds[0],
      title: 'Doc 0',
      author: { __typename: 'User', id: 'alice' },
      project: { id: projectId, name: 'Referenced' },
    });
    expect({
      documentBatches: await counter('data_reference_batches_total', { type: 'Document' }),
      projectBatches: await counter('data_reference_batches_total', { type: 'Project' }),
      documentQueries: await counter('data_store_queries_total', { collection: 'documents' }),
      projectQueries: await counter('data_store_queries_total', { collection: 'projects' }),
    }).toEqual({
      documentBatches: before.documentBatches + 1,
      projectBatches: before.projectBatches + 1,
      documentQueries: before.documentQueries + documentIds.length,
      // The documents belong to two projects.
      projectQueries: before.projectQueries + 2,
    });
  });

  it('resolves references the caller may not see, or that do not exist, to null', async () => {
    const resolved = await entities(bob, [
      { __typename: 'Document', id: documentIds[0] ?? '' },
      { __typename: 'Project', id: projectId },
      { __typename: 'Document', id: 'missing' },
      { __typename: 'Project', id: 'missing' },
    ]);
    expect(resolved).toEqual([null, null, null, null]);
  });

  it('resolves a Project with its owner and members as User references', async () => {
    const [project] = await entities(alice, [{ __typename: 'Project', id: projectId }]);
    expect(project).toEqual({
      __typename: 'Project',
      id: projectId,
      name: 'Referenced',
      owner: { __typename: 'User', id: 'alice' },
      members: { edges: [{ node: { user: { __typename: 'User', id: 'alice' } } }] },
    });
  });

  it('resolves a User reference to its id and the projects the caller may see', async () => {
    const [asAlice] = await entities(alice, [{ __typename: 'User', id: 'alice' }]);
    expect(asAlice).toMatchObject({ __typename: 'User', id: 'alice' });
    const ids = (asAlice?.projects as { edges: Array<{ node: { id: string } }> }).edges.map(
      (edge) => edge.node.id,
    );
    expect(ids.sort()).toEqual([projectId, otherProjectId].sort());
    expect(await entities(bob, [{ __typename: 'User', id: 'alice' }])).toEqual([
      { __typename: 'User', id: 'alice', projects: { edges: [] } },
    ]);
  });

  it('serves its counters on /metrics', async () => {
    const response = await fetch(test.subgraph.url.replace(/\/graphql$/, '/metrics'));
    const text = await response.text();
    expect(text).toMatch(/^data_reference_batches_total\{type="Document"\} \d+/m);
    expect(text).toMatch(
      /^data_store_queries_total\{collection="documents",operation="findOne"\} \d+/m,
    );
  });
});
