import { describe, expect, it } from '@jest/globals';
import { queryHashOf, requestIdentity } from './cache-keys.js';
import { fastPathRequest } from './fast-path-request.js';

const QUERY = 'query Me { me { id } }';
const HASH = queryHashOf(QUERY);
const post = (body: unknown, accept?: string) => fastPathRequest({ method: 'POST', body, accept });

describe('fast path request shapes', () => {
  it('keys a plain POST as the plugin does: its query hash, given operation name and variables', () => {
    expect(post({ query: QUERY, operationName: 'Me', variables: { a: 1 } })).toEqual({
      identity: requestIdentity(HASH, 'Me', { a: 1 }),
    });
    expect(post({ query: QUERY, operationName: null, variables: null })).toEqual({
      identity: { queryHash: HASH, operationName: null, variables: undefined },
    });
  });

  it('takes a persisted query sent by hash alone, to be checked against the APQ store', () => {
    const extensions = { persistedQuery: { version: 1, sha256Hash: HASH } };
    expect(post({ extensions })).toEqual({
      identity: requestIdentity(HASH, undefined, undefined),
      persistedQueryHash: HASH,
    });
    // With the query too, the normal path registers it.
    expect(post({ query: QUERY, extensions })).toBeUndefined();
    expect(
      post({ extensions: { persistedQuery: { version: 2, sha256Hash: HASH } } }),
    ).toBeUndefined();
  });

  it('passes on anything unusual to the normal path', () => {
    expect(
      fastPathRequest({ method: 'GET', body: { query: QUERY }, accept: undefined }),
    ).toBeUndefined();
    expect(post([{ query: QUERY }])).toBeUndefined(); // a batch
    expect(post(undefined)).toBeUndefined();
    expect(post({ query: '' })).toBeUndefined();
    expect(post({ query: QUERY, variables: '{"a":1}' })).toBeUndefined();
    expect(post({ query: QUERY, operationName: 7 })).toBeUndefined();
    expect(post({ query: QUERY, extensions: { tracing: true } })).toBeUndefined();
    expect(post({ query: QUERY, somethingElse: 1 })).toBeUndefined();
  });

  it('answers only requests whose Accept Apollo Server answers with application/json', () => {
    for (const accept of ['*/*', 'application/json', 'application/json, */*']) {
      expect(post({ query: QUERY }, accept)).toBeDefined();
    }
    for (const accept of [
      'application/graphql-response+json',
      'application/json;q=0.5, application/graphql-response+json',
      'multipart/mixed; deferSpec=20220824',
      'text/html',
    ]) {
      expect(post({ query: QUERY }, accept)).toBeUndefined();
    }
  });
});
