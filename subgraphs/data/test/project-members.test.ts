import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminPrincipal, dataOf, errorCodes, userPrincipal } from '@platform/testing';
import { dataCollections } from '../src/repositories/index.js';
import { createDocument, createProject, membersOf } from './fixtures.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

const ADD_MEMBER = `mutation ($projectId: ID!, $userId: ID!) {
  addProjectMember(projectId: $projectId, userId: $userId) {
    id members { edges { node { user { id } } } }
  }
}`;
const MEMBERS_PAGE = `query ($id: ID!, $first: Int, $after: String) {
  project(id: $id) {
    members(first: $first, after: $after) {
      edges { cursor node { user { id } joinedAt } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;
const PROJECTS_OF = `query ($first: Int, $after: String, $memberId: ID) {
  projects(first: $first, after: $after, filter: { memberId: $memberId }) {
    edges { node { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;

type MembersPage = {
  project: {
    members: {
      edges: Array<{ cursor: string; node: { user: { id: string }; joinedAt: string } }>;
      pageInfo: { hasNextPage: boolean; endCursor: string | null };
    };
  } | null;
};
type ProjectsPage = {
  projects: {
    edges: Array<{ node: { id: string } }>;
    pageInfo: { hasNextPage: boolean; endCursor: string | null };
  };
};

describe('project members', () => {
  let test: TestSubgraph;
  let alice: Caller;

  beforeAll(async () => {
    test = await startTestSubgraph('data_members');
    alice = test.as(userPrincipal('alice'));
  });

  afterAll(() => test.close());

  const add = (projectId: string, userId: string) =>
    alice.request<{ addProjectMember: { members: unknown } }>(ADD_MEMBER, {
      projectId,
      userId,
    });

  /** The project's members as stored, in the order they joined. */
  const storedMembers = async (projectId: string) =>
    (
      await dataCollections(test.subgraph.db)
        .projectMembers.find({ projectId })
        .sort({ joinedAt: 1, userId: 1 })
        .toArray()
    ).map((member) => member.userId);

  /** Every member through Project.members, page by page. */
  const pagedMembers = async (caller: Caller, projectId: string, first: number) => {
    const ids: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: MembersPage = dataOf(
        await caller.request<MembersPage>(MEMBERS_PAGE, { id: projectId, first, after }),
      );
      if (!page.project) return null;
      ids.push(...page.project.members.edges.map(({ node }) => node.user.id));
      if (!page.project.members.pageInfo.hasNextPage) return ids;
      after = page.project.members.pageInfo.endCursor;
    }
  };

  it('gives a new member access to the project and its documents', async () => {
    const projectId = await createProject(alice, 'Shared');
    const document = await createDocument(alice, projectId, { title: 'Welcome' });
    const bob = test.as(userPrincipal('bob'));
    const query = 'query ($id: ID!) { document(id: $id) { id } }';
    expect(dataOf(await bob.request(query, { id: document.id }))).toEqual({ document: null });

    expect(dataOf(await add(projectId, 'bob')).addProjectMember.members).toEqual(
      membersOf('alice', 'bob'),
    );
    expect(dataOf(await bob.request(query, { id: document.id }))).toEqual({
      document: { id: document.id },
    });
  });

  it('adds a member once however often it is asked', async () => {
    const projectId = await createProject(alice, 'Idempotent');
    for (let attempt = 0; attempt < 3; attempt++) dataOf(await add(projectId, 'bob'));
    dataOf(await add(projectId, 'alice'));
    expect(await storedMembers(projectId)).toEqual(['alice', 'bob']);
  });

  it('keeps every member when ten are added at the same time', async () => {
    for (let round = 0; round < 3; round++) {
      const projectId = await createProject(alice, `Crowded ${round}`);
      const newcomers = Array.from({ length: 10 }, (_, index) => `user-${round}-${index}`);
      const responses = await Promise.all(newcomers.map((userId) => add(projectId, userId)));
      expect(responses.flatMap(errorCodes)).toEqual([]);
      expect((await storedMembers(projectId))?.sort()).toEqual(['alice', ...newcomers].sort());
    }
  });

  it('takes 200 members, far past the 64 one indexed array held, and pages them in join order', async () => {
    const projectId = await createProject(alice, 'Crowd');
    const newcomers = Array.from(
      { length: 200 },
      (_, index) => `crowd-${String(index).padStart(3, '0')}`,
    );
    for (let start = 0; start < newcomers.length; start += 10) {
      const batch = newcomers.slice(start, start + 10);
      const responses = await Promise.all(batch.map((userId) => add(projectId, userId)));
      expect(responses.flatMap(errorCodes)).toEqual([]);
    }
    const everyone = ['alice', ...newcomers];
    expect((await storedMembers(projectId)).sort()).toEqual([...everyone].sort());
    const paged = await pagedMembers(alice, projectId, 30);
    // Pages in join order: the owner first, then everyone once.
    expect(paged?.[0]).toBe('alice');
    expect(paged).toHaveLength(everyone.length);
    expect(new Set(paged)).toEqual(new Set(everyone));

    // Access follows the rows: the last newcomer sees the project and lists it, an outsider not.
    const last = test.as(userPrincipal('crowd-199'));
    expect(await pagedMembers(last, projectId, 100)).toHaveLength(201);
    const listed = dataOf(await last.request<ProjectsPage>(PROJECTS_OF, { first: 5 }));
    expect(listed.projects.edges.map(({ node }) => node.id)).toEqual([projectId]);
    const outsider = test.as(userPrincipal('not-in-the-crowd'));
    expect(await pagedMembers(outsider, projectId, 10)).toBeNull();
  }, 120_000);

  it("lists a user's projects newest first, narrowed to those another member shares", async () => {
    const carol = test.as(userPrincipal('carol-lists'));
    const ids: string[] = [];
    for (let index = 0; index < 7; index++) {
      ids.push(await createProject(carol, `Carol ${index}`));
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    const shared = [ids[1]!, ids[4]!, ids[6]!];
    for (const projectId of shared) {
      dataOf(await carol.request(ADD_MEMBER, { projectId, userId: 'dave-lists' }));
    }
    const pages = async (caller: Caller, memberId: string | undefined, first: number) => {
      const found: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page: ProjectsPage = dataOf(
          await caller.request<ProjectsPage>(PROJECTS_OF, { first, after, memberId }),
        );
        found.push(...page.projects.edges.map(({ node }) => node.id));
        if (!page.projects.pageInfo.hasNextPage) return found;
        after = page.projects.pageInfo.endCursor;
      }
    };
    expect(await pages(carol, undefined, 3)).toEqual([...ids].reverse());
    expect(await pages(carol, 'dave-lists', 2)).toEqual([...shared].reverse());
    const admin = test.as(adminPrincipal('root-lists'));
    expect(await pages(admin, 'dave-lists', 1)).toEqual([...shared].reverse());
  });

  it('pages on past a member who left after their page was read, skipping no one', async () => {
    const projectId = await createProject(alice, 'Paging');
    const others = ['pm-1', 'pm-2', 'pm-3', 'pm-4', 'pm-5'];
    for (const userId of others) dataOf(await add(projectId, userId));
    const first = dataOf(
      await alice.request<MembersPage>(MEMBERS_PAGE, { id: projectId, first: 2 }),
    );
    const members = first.project!.members;
    expect(members.edges.map(({ node }) => node.user.id)).toEqual(['alice', 'pm-1']);
    dataOf(
      await alice.request(
        'mutation ($p: ID!, $u: ID!) { removeProjectMember(projectId: $p, userId: $u) { id } }',
        { p: projectId, u: 'pm-1' },
      ),
    );
    const rest = dataOf(
      await alice.request<MembersPage>(MEMBERS_PAGE, {
        id: projectId,
        first: 10,
        after: members.pageInfo.endCursor,
      }),
    );
    expect(rest.project!.members.edges.map(({ node }) => node.user.id)).toEqual(others.slice(1));
    expect(rest.project!.members.pageInfo.hasNextPage).toBe(false);
  });

  it('refuses a members cursor that is not one with BAD_USER_INPUT', async () => {
    const projectId = await createProject(alice, 'Cursor');
    const answer = await alice.request(MEMBERS_PAGE, { id: projectId, first: 2, after: 'nope' });
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
  });

  it('removes a member from the rows, and with them their access', async () => {
    const projectId = await createProject(alice, 'Leaving');
    dataOf(await add(projectId, 'erin'));
    const erin = test.as(userPrincipal('erin'));
    expect(await pagedMembers(erin, projectId, 10)).toEqual(['alice', 'erin']);
    dataOf(
      await erin.request(
        'mutation ($p: ID!, $u: ID!) { removeProjectMember(projectId: $p, userId: $u) { id } }',
        { p: projectId, u: 'erin' },
      ),
    );
    expect(await storedMembers(projectId)).toEqual(['alice']);
    expect(await pagedMembers(erin, projectId, 10)).toBeNull();
  });

  it('refuses a blank user id with BAD_USER_INPUT', async () => {
    const projectId = await createProject(alice, 'Strict');
    expect(errorCodes(await add(projectId, '  '))).toEqual(['BAD_USER_INPUT']);
    expect(await storedMembers(projectId)).toEqual(['alice']);
  });
});
