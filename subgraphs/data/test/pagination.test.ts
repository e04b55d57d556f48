import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { encodeCursor } from '@platform/pagination';
import { dataOf, errorCodes, userPrincipal } from '@platform/testing';
import { createDocument, createProject } from './fixtures.js';
import { startTestSubgraph, type TestSubgraph } from './harness.js';

interface DocumentPage {
  documents: {
    edges: Array<{ cursor: string; node: { id: string; title: string; createdAt: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
}

const DOCUMENTS = `query ($projectId: ID!, $first: Int, $after: String, $tag: String, $search: String) {
  documents(projectId: $projectId, first: $first, after: $after, tag: $tag, search: $search) {
    edges { cursor node { id title createdAt } }
    pageInfo { hasNextPage endCursor }
  }
}`;

const sorted = (ids: Array<string | undefined>) => [...ids].sort();

describe('document lists', () => {
  let test: TestSubgraph;
  const alice = userPrincipal('alice');
  let projectId: string;
  const created: string[] = [];

  beforeAll(async () => {
    test = await startTestSubgraph('data_pages');
    const caller = test.as(alice);
    projectId = await createProject(caller, 'Paged');
    for (let index = 0; index < 50; index++) {
      const tags = [index % 2 === 0 ? 'even' : 'odd', ...(index % 10 === 0 ? ['tenth'] : [])];
      const title = index === 7 ? 'Budget (Q1) [draft].*' : `Document ${index}`;
      created.push((await createDocument(caller, projectId, { title, tags })).id);
    }
  });

  afterAll(() => test.close());

  async function allPages(variables: Record<string, unknown>, first: number) {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const page: DocumentPage = dataOf(
        await test
          .as(alice)
          .request<DocumentPage>(DOCUMENTS, { projectId, first, after, ...variables }),
      );
      pages++;
      seen.push(...page.documents.edges.map((edge) => edge.node.id));
      if (!page.documents.pageInfo.hasNextPage) return { seen, pages };
      after = page.documents.pageInfo.endCursor;
      expect(after).toBe(page.documents.edges.at(-1)?.cursor);
    }
  }

  it('pages through 50 documents with no duplicates and no gaps', async () => {
    const { seen, pages } = await allPages({}, 7);
    expect(pages).toBe(8);
    expect(new Set(seen).size).toBe(50);
    expect(sorted(seen)).toEqual(sorted(created));
    // The pages, joined, are the list in one piece: newest first, ties broken by id.
    expect(seen).toEqual((await allPages({}, 50)).seen);
  });

  it('orders documents newest first', async () => {
    const page = dataOf(
      await test.as(alice).request<DocumentPage>(DOCUMENTS, { projectId, first: 50 }),
    );
    const times = page.documents.edges.map((edge) => Date.parse(edge.node.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBeGreaterThan(times[49] ?? Infinity);
  });

  it('ends with hasNextPage false and no cursor on an empty page', async () => {
    const emptyProject = await createProject(test.as(alice), 'Empty');
    const page = dataOf(
      await test.as(alice).request<DocumentPage>(DOCUMENTS, { projectId: emptyProject }),
    );
    expect(page.documents).toEqual({
      edges: [],
      pageInfo: { hasNextPage: false, endCursor: null },
    });
  });

  it('filters by tag across pages', async () => {
    const { seen } = await allPages({ tag: 'even' }, 4);
    expect(sorted(seen)).toEqual(sorted(created.filter((_, index) => index % 2 === 0)));
    const tenth = await allPages({ tag: 'tenth' }, 100);
    expect(sorted(tenth.seen)).toEqual(sorted([0, 10, 20, 30, 40].map((index) => created[index])));
  });

  it('searches titles case-insensitively as a plain substring', async () => {
    expect(sorted((await allPages({ search: 'document 4' }, 3)).seen)).toEqual(
      sorted([4, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49].map((index) => created[index])),
    );
    expect((await allPages({ search: '(q1) [DRAFT].*' }, 20)).seen).toEqual([created[7]]);
    expect((await allPages({ search: '.*' }, 20)).seen).toEqual([created[7]]);
    expect((await allPages({ search: 'Document 1', tag: 'tenth' }, 20)).seen).toEqual([
      created[10],
    ]);
  });

  it('applies the same rules to Project.documents', async () => {
    const response = await test.as(alice).request<{
      project: { documents: DocumentPage['documents'] };
    }>(
      `query ($id: ID!) {
        project(id: $id) {
          documents(first: 3, tag: "odd", search: "DOCUMENT") {
            edges { cursor node { id title } }
            pageInfo { hasNextPage endCursor }
          }
        }
      }`,
      { id: projectId },
    );
    const { documents } = dataOf(response).project;
    expect(documents.edges).toHaveLength(3);
    const odd = created.filter((_, index) => index % 2 === 1);
    for (const edge of documents.edges) expect(odd).toContain(edge.node.id);
    expect(documents.pageInfo.hasNextPage).toBe(true);
  });

  it('rejects a cursor it did not issue with BAD_USER_INPUT', async () => {
    for (const after of ['not-a-cursor', encodeCursor({ offset: 10 }), encodeCursor('x')]) {
      const response = await test.as(alice).request(DOCUMENTS, { projectId, after });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
  });

  it('rejects a page size out of range with BAD_USER_INPUT', async () => {
    for (const first of [1000, 0, -1]) {
      const response = await test.as(alice).request(DOCUMENTS, { projectId, first });
      expect(errorCodes(response)).toEqual(['BAD_USER_INPUT']);
    }
    const projects = await test.as(alice).request('{ projects(first: 1000) { edges { cursor } } }');
    expect(errorCodes(projects)).toEqual(['BAD_USER_INPUT']);
  });
});
