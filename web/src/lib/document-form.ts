import { formatJsonBody, parseJsonBody, parseTags } from './json-body.js';

/** The document form as typed, and the server version it started from. */
export interface DocumentForm {
  title: string;
  tags: string;
  body: string;
  /** The version the edit is based on (sent as expectedVersion); undefined for a new document. */
  baseVersion?: number;
  /** The server's values at baseVersion, to tell an edited form from an untouched one. */
  base?: { title: string; tags: string; body: string };
}

export interface ServerDocument {
  title: string;
  tags: readonly string[];
  body?: unknown;
  version: number;
}

export function formFromDocument(document: ServerDocument): DocumentForm {
  const fields = {
    title: document.title,
    tags: document.tags.join(', '),
    body: formatJsonBody(document.body),
  };
  return { ...fields, baseVersion: document.version, base: fields };
}

export const emptyForm = (): DocumentForm => ({ title: '', tags: '', body: '' });

export function isDirty(form: DocumentForm): boolean {
  if (!form.base) return form.title !== '' || form.tags !== '' || form.body !== '';
  return (
    form.title !== form.base.title || form.tags !== form.base.tags || form.body !== form.base.body
  );
}

/** What to do when the server's copy moves on while the form is open. */
export function onServerChange(
  form: DocumentForm,
  server: ServerDocument,
): { form: DocumentForm; changedUnderneath: boolean } {
  if (form.baseVersion === undefined || server.version <= form.baseVersion) {
    return { form, changedUnderneath: false };
  }
  // An untouched form simply shows the new version; an edited one keeps the user's input.
  if (!isDirty(form)) return { form: formFromDocument(server), changedUnderneath: false };
  return { form, changedUnderneath: true };
}

export type FormValues =
  | { ok: true; title: string; tags: string[]; body: unknown }
  | { ok: false; field: 'title' | 'body'; message: string };

export function formValues(form: DocumentForm): FormValues {
  const title = form.title.trim();
  if (!title) return { ok: false, field: 'title', message: 'A title is required' };
  const body = parseJsonBody(form.body);
  if (!body.ok) return { ok: false, field: 'body', message: body.message };
  return { ok: true, title, tags: parseTags(form.tags), body: body.value };
}
