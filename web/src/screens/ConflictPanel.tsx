import { formatJsonBody } from '../lib/json-body.js';

export interface DocumentVersion {
  title: string;
  tags: readonly string[];
  body: unknown;
  version?: number;
  author?: string;
}

/**
 * A save refused with VERSION_CONFLICT: my edit and the newer version side by side; the user keeps
 * theirs (saved over the newer version) or takes the newer one (their edit is dropped).
 */
export function ConflictPanel({
  mine,
  theirs,
  onKeepMine,
  onTakeTheirs,
  busy,
}: {
  mine: DocumentVersion;
  theirs: DocumentVersion;
  onKeepMine: () => void;
  onTakeTheirs: () => void;
  busy?: boolean;
}) {
  return (
    <section className="conflict" aria-labelledby="conflict-heading" role="region">
      <h2 id="conflict-heading">Someone else saved this document first</h2>
      <p>
        Version {theirs.version ?? '?'} was saved while you were editing. Choose which version to
        keep.
      </p>
      <div className="conflict-columns">
        <VersionView heading="Your version" version={mine} testId="conflict-mine" />
        <VersionView
          heading={`Their version${theirs.version ? ` (v${theirs.version})` : ''}`}
          version={theirs}
          testId="conflict-theirs"
        />
      </div>
      <div className="actions">
        <button type="button" onClick={onKeepMine} disabled={busy}>
          Keep mine
        </button>
        <button type="button" className="secondary" onClick={onTakeTheirs} disabled={busy}>
          Take theirs
        </button>
      </div>
    </section>
  );
}

function VersionView({
  heading,
  version,
  testId,
}: {
  heading: string;
  version: DocumentVersion;
  testId: string;
}) {
  return (
    <div className="conflict-version" data-testid={testId}>
      <h3>{heading}</h3>
      <dl>
        <dt>Title</dt>
        <dd>{version.title}</dd>
        <dt>Tags</dt>
        <dd>{version.tags.length ? version.tags.join(', ') : '—'}</dd>
        {version.author && (
          <>
            <dt>Author</dt>
            <dd>{version.author}</dd>
          </>
        )}
      </dl>
      <pre tabIndex={0} aria-label={`${heading}: body`}>
        {formatJsonBody(version.body) || '(no body)'}
      </pre>
    </div>
  );
}
