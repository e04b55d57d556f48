import { randomUUID } from 'node:crypto';
import { badUserInput, ErrorCode, notFound, platformError } from '@platform/errors';
import { requireScope, type AuthenticatedPrincipal } from '@platform/identity';
import type { Connection } from '@platform/pagination';
import type { DocumentRecord, ProjectRecord, Repositories } from '../repositories/index.js';
import { canSee, requireMember, requireVisible } from './access.js';
import { documentCreated, documentDeleted, documentUpdated } from './events.js';
import {
  documentBodyJson,
  documentChanges,
  documentTags,
  documentTitle,
  type CreateDocumentInput,
  type DocumentPatch,
} from './document-input.js';
import type { OutboxWriter } from './outbox-writer.js';
import { pageRequest, toPage, type PageArgs } from './pages.js';
import type { RequestScope } from './request-scope.js';
import { searchText } from './input.js';
import { retryingWrite, writeNextVersion } from './versioned-write.js';
import { changedFrom, changePosition, cursorPositionOf } from './change-cursor.js';

/** The most documentChangesSince returns at once (its default). */
const CHANGES_PAGE_SIZE = 100;
/** Rows read past a page, so the documents of the millisecond it ends in are seen together. */
const SAME_MILLISECOND_ROOM = 50;

export interface DocumentListArgs extends PageArgs {
  tag?: string | null;
  search?: string | null;
}

/** Documents; a document is visible to whoever may see its project (access.ts). */
export function documentService(
  repositories: Repositories,
  outboxFor: (scope: RequestScope) => OutboxWriter,
  changed: (document: DocumentRecord, scope: RequestScope) => void = () => {},
) {
  const { documents, projects, projectRosters, documentVersions } = repositories;

  /** The documents of a project already resolved for the caller. */
  async function listOfProject(
    scope: RequestScope,
    project: ProjectRecord,
    args: DocumentListArgs,
  ): Promise<Connection<DocumentRecord>> {
    requireScope(scope.principal, 'read');
    const page = pageRequest(args);
    const rows = await documents.list({
      projectId: project._id,
      tag: args.tag ?? undefined,
      titleContains: searchText(args.search, 'search'),
      after: page.after,
      limit: page.limit,
    });
    return toPage(rows, page);
  }

  return {
    /** The document, or null when it does not exist or the caller may not see its project. */
    async find(scope: RequestScope, id: string): Promise<DocumentRecord | null> {
      const caller = requireScope(scope.principal, 'read');
      const document = await scope.loaders.documents.load(id);
      if (!document) return null;
      const project = await scope.loaders.projects.load(document.projectId);
      return project && (await canSee(scope, caller, project)) ? document : null;
    },

    /** The documents of a project the caller may see; NOT_FOUND for any other project. */
    async list(
      scope: RequestScope,
      projectId: string,
      args: DocumentListArgs,
    ): Promise<Connection<DocumentRecord>> {
      const caller = requireScope(scope.principal, 'read');
      const project = await requireVisible(
        scope,
        caller,
        await scope.loaders.projects.load(projectId),
        projectId,
      );
      return listOfProject(scope, project, args);
    },

    /** Project.documents: the project was already resolved for the caller. */
    listOfProject,

    /**
     * The documents of a project the caller may see changed after the `since` change cursor,
     * oldest change first, at most `first` (NOT_FOUND for any other project). Documents changed in
     * the millisecond a page ends in all go to the next page, so none is skipped between pages.
     */
    async changesSince(
      scope: RequestScope,
      projectId: string,
      since: string | null | undefined,
      first: number | null | undefined,
    ): Promise<DocumentRecord[]> {
      const caller = requireScope(scope.principal, 'read');
      await requireVisible(scope, caller, await scope.loaders.projects.load(projectId), projectId);
      const limit = first ?? CHANGES_PAGE_SIZE;
      if (!Number.isInteger(limit) || limit < 1 || limit > CHANGES_PAGE_SIZE) {
        throw badUserInput(`first must be between 1 and ${CHANGES_PAGE_SIZE}`, 'first');
      }
      const after = since === null || since === undefined ? -1n : cursorPositionOf(since);
      if (after === undefined) throw badUserInput('since is not a change cursor', 'since');
      const fetched = await documents.changedSince(
        projectId,
        after < 0n ? new Date(0) : changedFrom(after),
        limit + SAME_MILLISECOND_ROOM,
      );
      const truncated = fetched.length === limit + SAME_MILLISECOND_ROOM;
      const lastTime = fetched.at(-1)?.updatedAt.getTime();
      const changes = fetched
        .filter((document) => !truncated || document.updatedAt.getTime() !== lastTime)
        .map((document) => ({ document, position: changePosition(document) }))
        .filter(({ position }) => position > after)
        .sort((a, b) => (a.position < b.position ? -1 : a.position > b.position ? 1 : 0));
      return changes.slice(0, limit).map(({ document }) => document);
    },

    /** The project a visible document belongs to. */
    async projectOf(scope: RequestScope, document: DocumentRecord): Promise<ProjectRecord> {
      const project = await scope.loaders.projects.load(document.projectId);
      if (!project) throw notFound('Project', document.projectId);
      return project;
    },

    async create(scope: RequestScope, input: CreateDocumentInput): Promise<DocumentRecord> {
      const caller = requireScope(scope.principal, 'write');
      const project = await requireVisible(
        scope,
        caller,
        await projects.findById(input.projectId),
        input.projectId,
      );
      await requireMember(scope, caller, project);
      const now = new Date();
      const document: DocumentRecord = {
        _id: randomUUID(),
        projectId: project._id,
        title: documentTitle(input.title, 'input.title'),
        bodyJson: documentBodyJson(input.body, 'input.body'),
        tags: documentTags(input.tags, 'input.tags'),
        authorId: caller.userId,
        version: 1,
        createdAt: now,
        updatedAt: now,
      };
      await outboxFor(scope).record(
        documentCreated(caller, document, project, await projectRosters.userIdsOf(project._id)),
        { kind: 'created', collection: 'documents', entityId: document._id },
        async () => {
          await documents.insert(document);
          return document;
        },
      );
      scope.loaders.documents.prime(document._id, document);
      changed(document, scope);
      return document;
    },

    /**
     * Optimistic concurrency: the patch applies only while the document is at `expectedVersion`,
     * and then the version grows by exactly one. Of several updates sent with the same version,
     * exactly one applies; the others get VERSION_CONFLICT with the version they should re-read.
     */
    async update(
      scope: RequestScope,
      id: string,
      expectedVersion: number,
      patch: DocumentPatch,
    ): Promise<DocumentRecord> {
      const caller = requireScope(scope.principal, 'write');
      if (!Number.isInteger(expectedVersion) || expectedVersion < 1) {
        throw badUserInput('expectedVersion must be a version the document had', 'expectedVersion');
      }
      const changes = documentChanges(patch);

      const document = await documents.findById(id);
      const project = document && (await projects.findById(document.projectId));
      if (!document || !project || !(await canSee(scope, caller, project))) {
        throw notFound('Document', id);
      }
      await requireMember(scope, caller, project);
      if (document.version !== expectedVersion) throw versionConflict(id, document.version);

      const memberIds = await projectRosters.userIdsOf(project._id);
      const event = documentUpdated(caller, document, changes, project, memberIds);
      const updated = await outboxFor(scope).record(
        event,
        { kind: 'versioned', collection: 'documents', entityId: id, version: expectedVersion + 1 },
        () =>
          writeNextVersion(
            documentVersions,
            id,
            expectedVersion,
            { userId: caller.userId, changeId: event.id },
            () => documents.update(id, expectedVersion, changes, new Date()),
          ),
      );
      if (!updated) {
        const current = await documents.findById(id);
        if (!current) throw notFound('Document', id);
        throw versionConflict(id, current.version);
      }
      scope.loaders.documents.clear(id).prime(id, updated);
      changed(updated, scope);
      return updated;
    },

    /**
     * Deletes a document of a project the caller is a member of; returns its id. The deletion
     * takes the document's next version like an update, so it never interleaves with one, and
     * before the document goes it enqueues the events of earlier changes whose writers have not
     * yet done so.
     */
    async delete(scope: RequestScope, id: string): Promise<string> {
      const caller = requireScope(scope.principal, 'write');
      await deleteOne(scope, caller, id);
      return id;
    },

    /**
     * Deletes every document of `project` (as deleteProject read it, after checking the caller
     * may delete it, with its members `memberIds`), each as `delete` does, its event marked
     * `withProject`. Documents another request deletes meanwhile are skipped. Returns how many
     * this call deleted.
     */
    async deleteAllOf(
      scope: RequestScope,
      project: ProjectRecord,
      memberIds: string[],
    ): Promise<number> {
      const caller = requireScope(scope.principal, 'write');
      let deleted = 0;
      for (;;) {
        const batch = await documents.list({ projectId: project._id, limit: DELETE_BATCH });
        if (batch.length === 0) return deleted;
        for (const document of batch) {
          if (await deleteOne(scope, caller, document._id, { project, memberIds })) deleted += 1;
        }
      }
    },
  };

  /**
   * One document's deletion. With `withProject` (deleteProject), the caller's right comes from
   * the project, which may already be gone: its record and members as deleteProject read them
   * name the members in the event, and a document that vanished meanwhile is not an error (false).
   */
  async function deleteOne(
    scope: RequestScope,
    caller: AuthenticatedPrincipal,
    id: string,
    withProject?: { project: ProjectRecord; memberIds: string[] },
  ): Promise<boolean> {
    const outbox = outboxFor(scope);
    const result = await retryingWrite(`Document ${id}`, async () => {
      const document = await documents.findById(id);
      if (withProject) {
        if (!document || document.projectId !== withProject.project._id) return false;
      }
      const project =
        withProject?.project ?? (document && (await projects.findById(document.projectId)));
      if (!document || !project || !(await canSee(scope, caller, project))) {
        throw notFound('Document', id);
      }
      if (!withProject) await requireMember(scope, caller, project);
      const memberIds = withProject?.memberIds ?? (await projectRosters.userIdsOf(project._id));

      const event = documentDeleted(
        caller,
        document,
        project,
        memberIds,
        withProject !== undefined,
      );
      const deleted = await outbox.record(
        event,
        { kind: 'deleted', collection: 'documents', entityId: id, version: document.version + 1 },
        () =>
          writeNextVersion(
            documentVersions,
            id,
            document.version,
            { userId: caller.userId, changeId: event.id },
            async () => {
              await outbox.settle('documents', id, event.id);
              return (await documents.delete(id, document.version)) ? true : null;
            },
          ),
      );
      return deleted ?? undefined;
    });
    scope.loaders.documents.clear(id);
    return result;
  }
}

/** Documents read per round while a project's are deleted. */
const DELETE_BATCH = 100;

function versionConflict(id: string, currentVersion: number) {
  return platformError(
    ErrorCode.VersionConflict,
    `Document ${id} was changed by another update; re-read it (version ${currentVersion}) and retry`,
    { currentVersion },
  );
}

export type DocumentService = ReturnType<typeof documentService>;
