import { randomUUID } from 'node:crypto';
import { notFound } from '@platform/errors';
import { requireScope } from '@platform/identity';
import type { Connection } from '@platform/pagination';
import type { DocumentRecord, ProjectRecord } from '../repositories/index.js';
import { canSee, requireMember, requireVisible } from './access.js';
import { documentCreated, documentDeleted } from './events.js';
import {
  documentBodyJson,
  documentTags,
  documentTitle,
  type CreateDocumentInput,
} from './document-input.js';
import { pageRequest, toPage, type PageArgs } from './pages.js';
import type { DataRequest } from './request-scope.js';
import { searchText } from './text-input.js';
import { retryingWrite, writeNextVersion } from './versioned-write.js';

export interface DocumentListArgs extends PageArgs {
  tag?: string | null;
  search?: string | null;
}

/** The document, or null when it does not exist or the caller may not see its project. */
export async function findDocument(
  request: DataRequest,
  id: string,
): Promise<DocumentRecord | null> {
  const caller = requireScope(request.principal, 'read');
  const document = await request.loaders.documents.load(id);
  if (!document) return null;
  const project = await request.loaders.projects.load(document.projectId);
  return project && canSee(caller, project) ? document : null;
}

/** The documents of a project the caller may see; NOT_FOUND for any other project. */
export async function listDocuments(
  request: DataRequest,
  projectId: string,
  args: DocumentListArgs,
): Promise<Connection<DocumentRecord>> {
  const caller = requireScope(request.principal, 'read');
  const project = requireVisible(caller, await request.loaders.projects.load(projectId), projectId);
  return listProjectDocuments(request, project, args);
}

/** The documents of a project already resolved for the caller (Project.documents). */
export async function listProjectDocuments(
  request: DataRequest,
  project: ProjectRecord,
  args: DocumentListArgs,
): Promise<Connection<DocumentRecord>> {
  requireScope(request.principal, 'read');
  const page = pageRequest(args);
  const rows = await request.repositories.documents.list({
    projectId: project._id,
    tag: args.tag ?? undefined,
    titleContains: searchText(args.search, 'search'),
    after: page.after,
    limit: page.limit,
  });
  return toPage(rows, page);
}

/** The project a visible document belongs to. */
export async function projectOfDocument(
  request: DataRequest,
  document: DocumentRecord,
): Promise<ProjectRecord> {
  const project = await request.loaders.projects.load(document.projectId);
  if (!project) throw notFound('Project', document.projectId);
  return project;
}

export async function createDocument(
  request: DataRequest,
  input: CreateDocumentInput,
): Promise<DocumentRecord> {
  const caller = requireScope(request.principal, 'write');
  const project = requireVisible(
    caller,
    await request.repositories.projects.findById(input.projectId),
    input.projectId,
  );
  requireMember(caller, project);
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
  await request.events.record(
    documentCreated(caller, document, project),
    { kind: 'created', collection: 'documents', entityId: document._id },
    async () => {
      await request.repositories.documents.insert(document);
      return document;
    },
  );
  request.loaders.documents.prime(document._id, document);
  return document;
}

/**
 * Deletes a document of a project the caller is a member of; returns its id. The deletion takes
 * the document's next version like an update, so it never interleaves with one, and before the
 * document goes it enqueues the events of earlier changes whose writers have not yet done so.
 */
export async function deleteDocument(request: DataRequest, id: string): Promise<string> {
  const caller = requireScope(request.principal, 'write');
  const { documents, projects, documentVersions } = request.repositories;
  await retryingWrite(`Document ${id}`, async () => {
    const document = await documents.findById(id);
    const project = document && (await projects.findById(document.projectId));
    if (!document || !project || !canSee(caller, project)) throw notFound('Document', id);
    requireMember(caller, project);

    const event = documentDeleted(caller, document, project);
    const deleted = await request.events.record(
      event,
      { kind: 'deleted', collection: 'documents', entityId: id, version: document.version + 1 },
      () =>
        writeNextVersion(
          documentVersions,
          id,
          document.version,
          { userId: caller.userId, changeId: event.id },
          async () => {
            await request.events.settle('documents', id, event.id);
            return (await documents.delete(id, document.version)) ? id : null;
          },
        ),
    );
    return deleted ?? undefined;
  });
  request.loaders.documents.clear(id);
  return id;
}
