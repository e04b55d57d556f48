import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { adminPrincipal, dataOf, errorCodes, userPrincipal } from '@platform/testing';
import { addMember, createDocument, createProject, membersOf } from './fixtures.js';
import { startTestSubgraph, type Caller, type TestSubgraph } from './harness.js';

const PROJECT =
  'query ($id: ID!) { project(id: $id) { id name members { edges { node { user { id } } } } } }';
const PROJECT_IDS = `query ($filter: ProjectFilter) {
  projects(first: 100, filter: $filter) { edges { node { id } } }
}`;
const DOCUMENT = 'query ($id: ID!) { document(id: $id) { id title version } }';
const DOCUMENT_IDS = `query ($projectId: ID!) {
  documents(projectId: $projectId, first: 100) { edges { node { id } } }
}`;
const USER_PROJECTS = `query ($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on User { id projects(first: 100) { edges { node { id } } } }
  }
}`;
const ADD_MEMBER = `mutation ($projectId: ID!, $userId: ID!) {
  addProjectMember(projectId: $projectId, userId: $userId) { id members { edges { node { user { id } } } } }
}`;
const CREATE_DOCUMENT = `mutation ($input: CreateDocumentInput!) { createDocument(input: $input) { id } }`;
const UPDATE_DOCUMENT = `mutation ($id: ID!, $expectedVersion: Int!, $patch: DocumentPatch!) {
  updateDocument(id: $id, expectedVersion: $expectedVersion, patch: $patch) { id version title }
}`;
const DELETE_DOCUMENT = 'mutation ($id: ID!) { deleteDocument(id: $id) }';

describe('who sees and changes what', () => {
  let test: TestSubgraph;
  let owner: Caller; // alice: owns the project
  let member: Caller; // dave: added by alice
  let outsider: Caller; // bob: member of his own project only
  let admin: Caller; // carol: administrator, member of nothing
  let projectId: string;
  let outsiderProjectId: string;
  let documentId: string;

  beforeAll(async () => {
    test = await startTestSubgraph('data_access');
    owner = test.as(userPrincipal('alice'));
    member = test.as(userPrincipal('dave'));
    outsider = test.as(userPrincipal('bob'));
    admin = test.as(adminPrincipal('carol'));
    projectId = await createProject(owner, 'Apollo');
    outsiderProjectId = await createProject(outsider, 'Bob private');
    await addMember(owner, projectId, 'dave');
    documentId = (await createDocument(owner, projectId, { title: 'Plan' })).id;
  });

  afterAll(() => test.close());

  const projectIds = async (caller: Caller, filter?: Record<string, unknown>) =>
    dataOf(
      await caller.request<{ projects: { edges: Array<{ node: { id: string } }> } }>(PROJECT_IDS, {
        filter,
      }),
    ).projects.edges.map((edge) => edge.node.id);

  const documentIds = async (caller: Caller) =>
    dataOf(
      await caller.request<{ documents: { edges: Array<{ node: { id: string } }> } }>(
        DOCUMENT_IDS,
        { projectId },
      ),
    ).documents.edges.map((edge) => edge.node.id);

  const storedDocument = () =>
    test.subgraph.db.collection<{ _id: string }>('documents').findOne({ _id: documentId });
  const storedProject = () =>
    test.subgraph.db.collection<{ _id: string }>('projects').findOne({ _id: projectId });

  describe('queries', () => {
    it('shows a project to its members and administrators, and null to anyone else', async () => {
      for (const caller of [owner, member, admin]) {
        expect(dataOf(await caller.request(PROJECT, { id: projectId }))).toEqual({
          project: { id: projectId, name: 'Apollo', members: membersOf('alice', 'dave') },
        });
      }
      const hidden = await outsider.request(PROJECT, { id: projectId });
      const missing = await outsider.request(PROJECT, { id: 'no-such-project' });
      expect(hidden).toEqual(missing);
      expect(hidden).toEqual({ status: 200, data: { project: null } });
    });

    it('lists the projects a caller is a member of, and every project to administrators', async () => {
      expect(await projectIds(owner)).toEqual([projectId]);
      expect(await projectIds(outsider)).toEqual([outsiderProjectId]);
      expect(await projectIds(admin)).toEqual(
        expect.arrayContaining([projectId, outsiderProjectId]),
      );
    });

    it('narrows project lists by member and name without widening what the caller sees', async () => {
      expect(await projectIds(outsider, { memberId: 'alice' })).toEqual([]);
      expect(await projectIds(member, { memberId: 'alice' })).toEqual([projectId]);
      expect(await projectIds(admin, { memberId: 'bob' })).toEqual([outsiderProjectId]);
      expect(await projectIds(admin, { nameContains: 'APOL' })).toEqual([projectId]);
      expect(await projectIds(owner, { nameContains: 'private' })).toEqual([]);
    });

    it("shows a user's projects only where the caller may see them", async () => {
      const userProjects = async (caller: Caller, userId: string) => {
        const response = await caller.request<{
          _entities: Array<{ projects: { edges: Array<{ node: { id: string } }> } }>;
        }>(USER_PROJECTS, { representations: [{ __typename: 'User', id: userId }] });
        return dataOf(response)._entities[0]?.projects.edges.map((edge) => edge.node.id);
      };
      expect(await userProjects(member, 'alice')).toEqual([projectId]);
      expect(await userProjects(outsider, 'alice')).toEqual([]);
      expect(await userProjects(admin, 'alice')).toEqual([projectId]);
      expect(await userProjects(admin, 'bob')).toEqual([outsiderProjectId]);
    });

    it('shows a document to members and administrators, and null to anyone else', async () => {
      for (const caller of [owner, member, admin]) {
        const response = await caller.request<{ document: { id: string } }>(DOCUMENT, {
          id: documentId,
        });
        expect(dataOf(response).document.id).toBe(documentId);
      }
      expect(await outsider.request(DOCUMENT, { id: documentId })).toEqual({
        status: 200,
        data: { document: null },
      });
    });

    it('answers NOT_FOUND for the documents of a project the caller cannot see, as for a missing one', async () => {
      expect(await documentIds(admin)).toContain(documentId);
      const hidden = await outsider.request(DOCUMENT_IDS, { projectId });
      const missing = await outsider.request(DOCUMENT_IDS, { projectId: 'no-such-project' });
      expect(errorCodes(hidden)).toEqual(['NOT_FOUND']);
      expect(errorCodes(missing)).toEqual(['NOT_FOUND']);
    });
  });

  describe('mutations by a non-member', () => {
    it('cannot add a member, and the project stays as it was', async () => {
      const before = await storedProject();
      const response = await outsider.request(ADD_MEMBER, { projectId, userId: 'bob' });
      expect(errorCodes(response)).toEqual(['NOT_FOUND']);
      expect(response.data).toBeNull();
      expect(await storedProject()).toEqual(before);
    });

    it('cannot create a document in the project', async () => {
      const before = await documentIds(owner);
      const response = await outsider.request(CREATE_DOCUMENT, {
        input: { projectId, title: 'Intruder' },
      });
      expect(errorCodes(response)).toEqual(['NOT_FOUND']);
      expect(await documentIds(owner)).toEqual(before);
    });

    it('cannot update a document of the project', async () => {
      const before = await storedDocument();
      const response = await outsider.request(UPDATE_DOCUMENT, {
        id: documentId,
        expectedVersion: 1,
        patch: { title: 'Defaced' },
      });
      expect(errorCodes(response)).toEqual(['NOT_FOUND']);
      expect(await storedDocument()).toEqual(before);
    });

    it('cannot delete a document of the project', async () => {
      const response = await outsider.request(DELETE_DOCUMENT, { id: documentId });
      expect(errorCodes(response)).toEqual(['NOT_FOUND']);
      expect(await storedDocument()).not.toBeNull();
    });

    it('gets the same NOT_FOUND for ids that do not exist', async () => {
      const responses = await Promise.all([
        owner.request(ADD_MEMBER, { projectId: 'missing', userId: 'bob' }),
        owner.request(CREATE_DOCUMENT, { input: { projectId: 'missing', title: 'x' } }),
        owner.request(UPDATE_DOCUMENT, {
          id: 'missing',
          expectedVersion: 1,
          patch: { title: 'x' },
        }),
        owner.request(DELETE_DOCUMENT, { id: 'missing' }),
      ]);
      expect(responses.map(errorCodes)).toEqual([
        ['NOT_FOUND'],
        ['NOT_FOUND'],
        ['NOT_FOUND'],
        ['NOT_FOUND'],
      ]);
    });
  });

  describe('mutations by members and administrators', () => {
    it('lets a member who is not the owner change documents but not add members', async () => {
      const created = await createDocument(member, projectId, { title: 'Notes' });
      const updated = await member.request(UPDATE_DOCUMENT, {
        id: created.id,
        expectedVersion: 1,
        patch: { title: 'Notes v2' },
      });
      expect(dataOf(updated)).toEqual({
        updateDocument: { id: created.id, version: 2, title: 'Notes v2' },
      });
      expect(dataOf(await member.request(DELETE_DOCUMENT, { id: created.id }))).toEqual({
        deleteDocument: created.id,
      });
      const before = await storedProject();
      const adding = await member.request(ADD_MEMBER, { projectId, userId: 'erin' });
      expect(errorCodes(adding)).toEqual(['FORBIDDEN']);
      expect(await storedProject()).toEqual(before);
    });

    it('lets an administrator add members but change documents only once a member', async () => {
      const refused = await admin.request(CREATE_DOCUMENT, {
        input: { projectId, title: 'Audit' },
      });
      expect(errorCodes(refused)).toEqual(['FORBIDDEN']);
      const deleting = await admin.request(DELETE_DOCUMENT, { id: documentId });
      expect(errorCodes(deleting)).toEqual(['FORBIDDEN']);
      expect(await storedDocument()).not.toBeNull();

      const added = await admin.request<{ addProjectMember: { members: unknown } }>(ADD_MEMBER, {
        projectId: outsiderProjectId,
        userId: 'carol',
      });
      expect(dataOf(added).addProjectMember.members).toEqual(membersOf('bob', 'carol'));
      await createDocument(admin, outsiderProjectId, { title: 'Audit' });
    });
  });
});
