import type { ReactNode } from 'react';
import { PlatformError } from '@acme/sdk';

/** What an error tells the user: the platform's message, its code and the request id to quote. */
export function describeError(error: unknown): {
  message: string;
  code?: string;
  requestId?: string;
} {
  if (error instanceof PlatformError) {
    return { message: error.message, code: error.code, requestId: error.requestId };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

export function ErrorNotice({ error, title }: { error: unknown; title?: string }) {
  const { message, code, requestId } = describeError(error);
  return (
    <div role="alert" className="notice notice-error">
      {title && <strong>{title}: </strong>}
      <span className="error-message">{message}</span>
      {(code || requestId) && (
        <small className="error-meta">
          {code && (
            <>
              {' '}
              code <code>{code}</code>
            </>
          )}
          {requestId && (
            <>
              {' '}
              · request id <code className="request-id">{requestId}</code>
            </>
          )}
        </small>
      )}
    </div>
  );
}

export function Loading({ label = 'Loading…' }: { label?: string }) {
  return (
    <p role="status" aria-live="polite" className="loading">
      {label}
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** Loading, error or the content of one query, the same way on every screen. */
export function QueryState<T>({
  query,
  children,
  label,
}: {
  query: { isPending: boolean; error: unknown; data: T | undefined };
  children: (data: T) => ReactNode;
  label?: string;
}) {
  if (query.isPending) return <Loading label={label} />;
  if (query.error) return <ErrorNotice error={query.error} />;
  return <>{children(query.data as T)}</>;
}

/** A table that may scroll sideways on a phone: focusable, so keyboard users can scroll it too. */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-wrap" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
