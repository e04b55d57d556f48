import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from '@jest/globals';
import { readStreamRequest, streamFramingOf } from './negotiate.js';

const request = (method: string, accept: string | undefined, extra: object = {}) =>
  ({
    method,
    headers: accept === undefined ? {} : { accept },
    url: '/graphql',
    ...extra,
  }) as IncomingMessage & { body?: unknown };

describe('streamFramingOf', () => {
  it.each([
    ['POST', 'multipart/mixed;subscriptionSpec=1.0, application/json', 'multipart'],
    ['POST', 'multipart/mixed;subscriptionSpec="1.0", application/json', 'multipart'],
    ['POST', 'multipart/mixed; boundary="graphql"; subscriptionSpec=1.0', 'multipart'],
    ['POST', 'text/event-stream', 'sse'],
    ['GET', 'text/event-stream', 'sse'],
    ['POST', 'application/json, text/event-stream;q=0.9', 'sse'],
  ])('%s with Accept %s streams over %s', (method, accept, name) => {
    expect(streamFramingOf(request(method, accept))?.name).toBe(name);
  });

  it.each([
    ['POST', undefined],
    ['POST', 'application/json'],
    ['POST', 'multipart/mixed'],
    ['POST', 'multipart/mixed;deferSpec=20220824'],
    ['GET', 'multipart/mixed;subscriptionSpec=1.0'],
    ['PUT', 'text/event-stream'],
  ])('%s with Accept %s is a plain request', (method, accept) => {
    expect(streamFramingOf(request(method, accept))).toBeUndefined();
  });
});

describe('readStreamRequest', () => {
  it('reads a subscription from a POST body and from GET search parameters', () => {
    const query = 'subscription ($s: String) { notificationAdded(since: $s) { id } }';
    expect(
      readStreamRequest(
        request('POST', 'text/event-stream', { body: { query, variables: { s: '1' } } }),
        100,
      ),
    ).toEqual({ subscribe: { query, operationName: null, variables: { s: '1' } } });
    const url = `/graphql?query=${encodeURIComponent(query)}&variables=${encodeURIComponent('{"s":"2"}')}`;
    expect(readStreamRequest(request('GET', 'text/event-stream', { url }), 100)).toEqual({
      subscribe: { query, operationName: null, variables: { s: '2' } },
    });
  });

  it('leaves queries, batches and bodies without a query to Apollo', () => {
    for (const body of [{ query: '{ me { id } }' }, [{ query: 'subscription { a }' }], {}]) {
      expect(readStreamRequest(request('POST', 'text/event-stream', { body }), 100)).toEqual({
        notSubscription: true,
      });
    }
    const named = { query: 'query A { me { id } } subscription B { a }', operationName: 'A' };
    expect(readStreamRequest(request('POST', 'text/event-stream', { body: named }), 100)).toEqual({
      notSubscription: true,
    });
  });

  it('reads a document that does not parse as a subscription, for the pipeline to refuse', () => {
    const body = { query: 'subscription {' };
    expect(readStreamRequest(request('POST', 'text/event-stream', { body }), 100)).toHaveProperty(
      'subscribe',
    );
  });

  it('refuses variables that are not an object', () => {
    const body = { query: 'subscription { a }', variables: [1] };
    expect(readStreamRequest(request('POST', 'text/event-stream', { body }), 100)).toEqual({
      invalid: '`variables` must be an object',
    });
  });
});
