import DataLoader from 'dataloader';
import type { DataMetrics } from './metrics.js';
import type { DocumentRecord, ProjectRecord, Repositories } from './repositories/index.js';

/**
 * Per-request batching of entity fetches: every project or document a request resolves by id
 * (references from the gateway, Document.project, queries by id) costs one batch per type (one indexed lookup per id; see repositories/store-filters.ts).
 * Loaders hold raw records; visibility is decided by the domain functions that use them.
 */
export interface Loaders {
  projects: DataLoader<string, ProjectRecord | null>;
  documents: DataLoader<string, DocumentRecord | null>;
  /** Whether `userId` is a member of a project `viewerId` is a member of: one query per viewer. */
  sharesAProject: DataLoader<ProjectPeers, boolean, string>;
}

export interface ProjectPeers {
  viewerId: string;
  userId: string;
}

export function createLoaders(
  repositories: Repositories,
  { referenceBatches }: Pick<DataMetrics, 'referenceBatches'>,
): Loaders {
  return {
    projects: new DataLoader(async (ids) => {
      referenceBatches.inc({ type: 'Project' });
      return inOrderOf(ids, await repositories.projects.findByIds(ids));
    }),
    documents: new DataLoader(async (ids) => {
      referenceBatches.inc({ type: 'Document' });
      return inOrderOf(ids, await repositories.documents.findByIds(ids));
    }),
    sharesAProject: new DataLoader(
      async (pairs) => {
        // A request has one viewer, so this is one query; grouped anyway, to stay right if not.
        const viewers = [...new Set(pairs.map((pair) => pair.viewerId))];
        const peers = new Map(
          await Promise.all(
            viewers.map(async (viewerId) => {
              const userIds = pairs.filter((p) => p.viewerId === viewerId).map((p) => p.userId);
              const sharing = await repositories.projects.membersSharingAProjectWith(
                viewerId,
                userIds,
              );
              return [viewerId, sharing] as const;
            }),
          ),
        );
        return pairs.map(({ viewerId, userId }) => peers.get(viewerId)!.has(userId));
      },
      { cacheKeyFn: ({ viewerId, userId }) => `${viewerId} ${userId}` },
    ),
  };
}

function inOrderOf<Row extends { _id: string }>(ids: readonly string[], rows: Row[]) {
  const byId = new Map(rows.map((row) => [row._id, row]));
  return ids.map((id) => byId.get(id) ?? null);
}
