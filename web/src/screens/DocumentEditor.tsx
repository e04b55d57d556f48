import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { VersionConflictError } from '@acme/sdk';
import { usePlatformClient } from '../session/SessionContext.js';
import { clearDraft, loadDraft, saveDraft } from '../lib/drafts.js';
import {
  emptyForm,
  formFromDocument,
  formValues,
  onServerChange,
  type DocumentForm,
} from '../lib/document-form.js';
import { parseJsonBody, parseTags } from '../lib/json-body.js';
import { ErrorNotice, Loading } from '../ui/states.js';
import { ConflictPanel } from './ConflictPanel.js';

type ServerDoc = NonNullable<
  Awaited<ReturnType<ReturnType<typeof usePlatformClient>['data']['document']>>
>;

/** Create or edit one document: title, tags, JSON body; live updates; version conflicts. */
export function DocumentEditor() {
  const { projectId = '', documentId } = useParams();
  const isNew = documentId === undefined;
  const client = usePlatformClient();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const draftKey = isNew ? `document:new:${projectId}` : `document:${documentId}`;

  const server = useQuery({
    queryKey: ['document', documentId],
    queryFn: () => client.data.document(documentId!),
    enabled: !isNew,
  });
  const [form, setForm] = useState<DocumentForm | undefined>(
    () => loadDraft<DocumentForm>(draftKey) ?? (isNew ? emptyForm() : undefined),
  );
  const [conflict, setConflict] = useState<ServerDoc | undefined>();
  const [confirmDelete, setConfirmDelete] = useState(false);

  // The server's copy arrived or moved on (someone else saved: the live notification or
  // documentChanged refetched it).
  const serverDoc = server.data ?? undefined;
  useEffect(() => {
    if (!serverDoc) return;
    setForm((current) =>
      current ? onServerChange(current, serverDoc).form : formFromDocument(serverDoc),
    );
  }, [serverDoc]);
  // Someone saved a newer version while this form holds an edit of an older one.
  const changedUnderneath =
    !!form && !!serverDoc && onServerChange(form, serverDoc).changedUnderneath;

  const update = (patch: Partial<DocumentForm>) =>
    setForm((current) => {
      const next = { ...(current ?? emptyForm()), ...patch };
      saveDraft(draftKey, next);
      return next;
    });

  const done = (saved: ServerDoc) => {
    clearDraft(draftKey);
    setConflict(undefined);
    setForm(formFromDocument(saved));
    queryClient.setQueryData(['document', saved.id], saved);
    void queryClient.invalidateQueries({ queryKey: ['documents', projectId] });
  };

  const save = useMutation({
    mutationFn: async (expectedVersion?: number) => {
      const values = formValues(form!);
      if (!values.ok) throw new Error(values.message);
      const fields = { title: values.title, tags: values.tags, body: values.body };
      if (isNew) return client.data.createDocument({ projectId, ...fields });
      return client.data.updateDocument({
        id: documentId!,
        expectedVersion: expectedVersion ?? form!.baseVersion!,
        patch: fields,
      });
    },
    onSuccess: (saved) => {
      done(saved);
      if (isNew) navigate(`/projects/${projectId}/documents/${saved.id}`, { replace: true });
    },
    onError: async (error) => {
      if (error instanceof VersionConflictError && documentId) {
        const latest = await client.data.document(documentId);
        if (latest) setConflict(latest);
      }
    },
  });

  const remove = useMutation({
    mutationFn: () => client.data.deleteDocument(documentId!),
    onSuccess: async () => {
      clearDraft(draftKey);
      queryClient.removeQueries({ queryKey: ['document', documentId] });
      await queryClient.invalidateQueries({ queryKey: ['documents', projectId] });
      navigate(`/projects/${projectId}`);
    },
  });

  if (!isNew && server.isPending && !form) return <Loading label="Loading the document…" />;
  if (!isNew && server.error) return <ErrorNotice error={server.error} />;
  if (!isNew && server.data === null) {
    return (
      <section className="card">
        <h2>Document not found</h2>
        <p>It was deleted, or you are not a member of its project.</p>
        <Link to={`/projects/${projectId}`}>Back to the project</Link>
      </section>
    );
  }
  if (!form) return <Loading />;

  const body = parseJsonBody(form.body);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(undefined);
  };
  const mine = {
    title: form.title,
    tags: parseTags(form.tags),
    body: body.ok ? body.value : form.body,
  };

  return (
    <section className="card editor" aria-labelledby="editor-heading">
      <h2 id="editor-heading">{isNew ? 'New document' : 'Edit document'}</h2>
      {serverDoc && (
        <p className="muted" data-testid="document-version">
          Version {serverDoc.version} · updated {new Date(serverDoc.updatedAt).toLocaleString()} ·
          author {serverDoc.author?.name ?? 'unknown'}
        </p>
      )}
      {changedUnderneath && serverDoc && !conflict && (
        <div role="status" className="notice" data-testid="changed-underneath">
          Someone saved version {serverDoc.version} (title “{serverDoc.title}”) while you were
          editing.{' '}
          <button
            type="button"
            className="link-button"
            onClick={() => {
              clearDraft(draftKey);
              setForm(formFromDocument(serverDoc));
            }}
          >
            Take their version
          </button>
        </div>
      )}
      {conflict && (
        <ConflictPanel
          mine={mine}
          theirs={{ ...conflict, author: conflict.author?.name }}
          busy={save.isPending}
          onKeepMine={() => save.mutate(conflict.version)}
          onTakeTheirs={() => done(conflict)}
        />
      )}
      <form onSubmit={onSubmit} className="stack" noValidate>
        <label>
          Title
          <input
            name="title"
            required
            value={form.title}
            onChange={(e) => update({ title: e.target.value })}
          />
        </label>
        <label>
          Tags <span className="muted">(comma-separated)</span>
          <input name="tags" value={form.tags} onChange={(e) => update({ tags: e.target.value })} />
        </label>
        <label>
          Body (JSON)
          <textarea
            name="body"
            rows={10}
            spellCheck={false}
            value={form.body}
            aria-invalid={!body.ok}
            aria-describedby="body-help"
            onChange={(e) => update({ body: e.target.value })}
          />
        </label>
        <p id="body-help" className={body.ok ? 'muted' : 'field-error'}>
          {body.ok
            ? 'Any JSON value, e.g. {"steps": ["plan", "ship"]}; empty for none.'
            : body.message}
        </p>
        {save.error && !conflict && <ErrorNotice error={save.error} />}
        <div className="actions">
          <button type="submit" disabled={save.isPending || !body.ok || !form.title.trim()}>
            {save.isPending ? 'Saving…' : isNew ? 'Create document' : 'Save'}
          </button>
          <Link to={`/projects/${projectId}`}>Back to documents</Link>
          {!isNew &&
            (confirmDelete ? (
              <span className="confirm">
                Delete this document?{' '}
                <button type="button" className="danger" onClick={() => remove.mutate()}>
                  Delete document
                </button>{' '}
                <button type="button" className="secondary" onClick={() => setConfirmDelete(false)}>
                  Cancel
                </button>
              </span>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirmDelete(true)}>
                Delete
              </button>
            ))}
        </div>
        {remove.error && <ErrorNotice error={remove.error} />}
      </form>
    </section>
  );
}
