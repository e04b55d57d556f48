import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, postGraphQL as post } from '@platform/testing';
import { bearer, startTestPlatform, type TestPlatform } from './test-platform.js';

let platform: TestPlatform;
let url: string;
let auth: Record<string, string>;

beforeAll(async () => {
  platform = await startTestPlatform();
  url = platform.gateway.url;
  auth = await bearer('u-bad-input');
});

afterAll(async () => {
  await platform.stop();
});

/** After every bad request the gateway must still answer a good one. */
async function expectStillServing() {
  const result = await post(url, { query: '{ echo(text: "still here") }' }, auth);
  expect(result.status).toBe(200);
  expect(result.body.data).toEqual({ echo: 'still here' });
}

describe('bad input', () => {
  it('answers a malformed JSON body with 400 BAD_REQUEST', async () => {
    const result = await post(url, '{"query": "{ echo(text: \\"x\\") }"', auth);
    expect(result.status).toBe(400);
    expect(result.body).toEqual({
      errors: [{ message: 'Malformed JSON body', extensions: { code: 'BAD_REQUEST' } }],
    });
    await expectStillServing();
  });

  it('answers a 2 MB query with 413 PAYLOAD_TOO_LARGE', async () => {
    const query = `{ echo(text: "${'x'.repeat(2 * 1024 * 1024)}") }`;
    const result = await post(url, { query }, auth);
    expect(result.status).toBe(413);
    expect(errorCodes(result.body)).toEqual(['PAYLOAD_TOO_LARGE']);
    await expectStillServing();
  });

  it('answers an unknown field with 400 GRAPHQL_VALIDATION_FAILED', async () => {
    const result = await post(url, { query: '{ echo(text: "x") noSuchField }' }, auth);
    expect(result.status).toBe(400);
    expect(errorCodes(result.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    await expectStillServing();
  });

  it('answers a variable of the wrong type with 400 BAD_USER_INPUT', async () => {
    const result = await post(
      url,
      { query: 'query Echo($text: String!) { echo(text: $text) }', variables: { text: { a: 1 } } },
      auth,
    );
    expect(result.status).toBe(400);
    expect(errorCodes(result.body)).toEqual(['BAD_USER_INPUT']);
    await expectStillServing();
  });

  it('answers a syntax error with 400 GRAPHQL_PARSE_FAILED', async () => {
    const result = await post(url, { query: '{ echo(text: ' }, auth);
    expect(result.status).toBe(400);
    expect(errorCodes(result.body)).toEqual(['GRAPHQL_PARSE_FAILED']);
    await expectStillServing();
  });

  it('answers a body without a query with 400 BAD_REQUEST', async () => {
    const result = await post(url, { variables: {} }, auth);
    expect(result.status).toBe(400);
    expect(errorCodes(result.body)).toEqual(['BAD_REQUEST']);
    await expectStillServing();
  });

  it('answers an unknown operation name with 400 and calls no subgraph', async () => {
    const before = platform.observed.userRequests.length;
    const result = await post(url, { query: '{ echo(text: "x") }', operationName: 'Nope' }, auth);
    expect(result.status).toBe(400);
    expect(result.body.errors?.[0]?.message).toBe('Unknown operation named "Nope"');
    expect(platform.observed.userRequests.length).toBe(before);
    await expectStillServing();
  });

  it('refuses a GET without a CSRF preflight header', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    await expectStillServing();
  });

  it('serves a GET query that carries the apollo-require-preflight header', async () => {
    const response = await fetch(`${url}?query=${encodeURIComponent('{ echo(text: "get") }')}`, {
      headers: { 'apollo-require-preflight': 'true', ...auth },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      data: { echo: 'get' },
      extensions: { cost: expect.any(Object) },
    });
  });
});
