import { describe, expect, it } from 'vitest';
import { formFromDocument, formValues, isDirty, onServerChange } from './document-form.js';
import { parseJsonBody, parseTags } from './json-body.js';

const v1 = { title: 'Plan', tags: ['q3'], body: { steps: 1 }, version: 1 };
const v2 = { title: 'Plan v2', tags: ['q3'], body: { steps: 2 }, version: 2 };

describe('parseJsonBody', () => {
  it('accepts any JSON value and an empty text as no body', () => {
    expect(parseJsonBody('{"a": [1, 2]}')).toEqual({ ok: true, value: { a: [1, 2] } });
    expect(parseJsonBody('  ')).toEqual({ ok: true, value: null });
    expect(parseJsonBody('"text"')).toEqual({ ok: true, value: 'text' });
  });

  it('refuses invalid JSON with a message saying so', () => {
    const parsed = parseJsonBody('{"a": ');
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(/^The body is not valid JSON: /);
  });
});

describe('parseTags', () => {
  it('splits on commas, trims, drops empties and duplicates', () => {
    expect(parseTags(' q3, plan,,q3 , ')).toEqual(['q3', 'plan']);
  });
});

describe('formValues', () => {
  it('requires a title and a valid body', () => {
    expect(formValues({ title: ' ', tags: '', body: '' })).toMatchObject({
      ok: false,
      field: 'title',
    });
    expect(formValues({ title: 'T', tags: '', body: '{' })).toMatchObject({
      ok: false,
      field: 'body',
    });
    expect(formValues({ title: ' T ', tags: 'a, b', body: '[1]' })).toEqual({
      ok: true,
      title: 'T',
      tags: ['a', 'b'],
      body: [1],
    });
  });
});

describe('onServerChange', () => {
  it('shows a newer version in an untouched form', () => {
    const next = onServerChange(formFromDocument(v1), v2);
    expect(next.changedUnderneath).toBe(false);
    expect(next.form.title).toBe('Plan v2');
    expect(next.form.baseVersion).toBe(2);
  });

  it('keeps the user’s edit and flags the change when the form was edited', () => {
    const edited = { ...formFromDocument(v1), title: 'My title' };
    expect(isDirty(edited)).toBe(true);
    const next = onServerChange(edited, v2);
    expect(next.changedUnderneath).toBe(true);
    expect(next.form.title).toBe('My title');
    expect(next.form.baseVersion).toBe(1);
  });

  it('ignores the same or an older version', () => {
    const form = { ...formFromDocument(v2), title: 'Mine' };
    expect(onServerChange(form, v1)).toEqual({ form, changedUnderneath: false });
  });
});
