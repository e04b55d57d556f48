import type { DocumentRecord, Repositories } from '../repositories/index.js';
import { documentService, type DocumentService } from './documents.js';
import { outboxWriter } from './outbox-writer.js';
import { projectService, type ProjectService } from './projects.js';
import type { RequestScope } from './request-scope.js';

/** The data subgraph's operations; resolvers call these and nothing else. */
export interface Domain {
  projects: ProjectService;
  documents: DocumentService;
}

export interface DomainOptions {
  /** Called after a mutation has enqueued its event in the outbox (to wake the relay). */
  onEventEnqueued?: () => void;
  /** Called after a document was created or updated (to tell the gateways, `live-publisher.ts`). */
  onDocumentChanged?: (document: DocumentRecord, scope: RequestScope) => void;
}

export function createDomain(repositories: Repositories, options: DomainOptions = {}): Domain {
  const outboxFor = (scope: RequestScope) =>
    outboxWriter(repositories, scope.logger, () => options.onEventEnqueued?.());
  const documents = documentService(repositories, outboxFor, (document, scope) =>
    options.onDocumentChanged?.(document, scope),
  );
  return {
    projects: projectService(repositories, outboxFor, documents),
    documents,
  };
}
