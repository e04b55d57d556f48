import { useEffect, useState } from 'react';
import { Link, useParams } from 'react-router';
import { useInfiniteQuery } from '@tanstack/react-query';
import { usePlatformClient } from '../session/SessionContext.js';
import { Empty, ErrorNotice, Loading } from '../ui/states.js';

const PAGE_SIZE = 20;

/** Waits until typing pauses before searching. */
function useDebounced<T>(value: T, ms = 300): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return debounced;
}

/** A project's documents: title search, tag filter, keyset pages with "Load more". */
export function DocumentList({ projectId }: { projectId: string }) {
  const client = usePlatformClient();
  const { documentId } = useParams();
  const [search, setSearch] = useState('');
  const [tag, setTag] = useState('');
  const filters = useDebounced({ search: search.trim(), tag: tag.trim() });
  const documents = useInfiniteQuery({
    queryKey: ['documents', projectId, filters],
    queryFn: ({ pageParam }) =>
      client.data.documents({
        projectId,
        first: PAGE_SIZE,
        after: pageParam,
        search: filters.search || undefined,
        tag: filters.tag || undefined,
      }),
    initialPageParam: null as string | null,
    getNextPageParam: (page) => (page.pageInfo.hasNextPage ? page.pageInfo.endCursor : undefined),
  });
  const nodes = documents.data?.pages.flatMap((page) => page.edges.map((edge) => edge.node)) ?? [];
  const filtered = Boolean(filters.search || filters.tag);

  return (
    <section className="card" aria-labelledby="documents-heading">
      <div className="card-header">
        <h2 id="documents-heading">Documents</h2>
        <Link className="button" to={`/projects/${projectId}/documents/new`}>
          New document
        </Link>
      </div>
      <div className="filters" role="search">
        <label>
          Search titles
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} />
        </label>
        <label>
          Tag
          <input value={tag} onChange={(e) => setTag(e.target.value)} />
        </label>
      </div>
      {documents.isPending ? (
        <Loading label="Loading documents…" />
      ) : documents.error ? (
        <ErrorNotice error={documents.error} />
      ) : nodes.length === 0 ? (
        <Empty>{filtered ? 'No document matches.' : 'No documents yet.'}</Empty>
      ) : (
        <ul className="document-list" data-testid="document-list">
          {nodes.map((document) => (
            <li key={document.id} aria-current={document.id === documentId ? 'page' : undefined}>
              <Link to={`/projects/${projectId}/documents/${document.id}`}>{document.title}</Link>
              <span className="muted">
                {' '}
                v{document.version}
                {document.tags.length > 0 && ` · ${document.tags.join(', ')}`}
              </span>
            </li>
          ))}
        </ul>
      )}
      {documents.hasNextPage && (
        <button
          type="button"
          className="secondary"
          onClick={() => void documents.fetchNextPage()}
          disabled={documents.isFetchingNextPage}
        >
          {documents.isFetchingNextPage ? 'Loading…' : 'Load more'}
        </button>
      )}
      {documents.isFetchNextPageError && <ErrorNotice error={documents.error} />}
    </section>
  );
}
