import { writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { errorCodes, eventually, postGraphQL as post } from '@platform/testing';
import { bearer, startTestPlatform, type TestPlatform } from './test-platform.js';

let platform: TestPlatform;
let auth: Record<string, string>;

beforeAll(async () => {
  platform = await startTestPlatform();
  auth = await bearer('u-reload');
});

afterAll(async () => {
  await platform.stop();
});

const EXTRA = { query: '{ extra }' };

describe('a change of the supergraph file', () => {
  it('that does not load is logged, and the previous supergraph keeps serving', async () => {
    const logsBefore = platform.logs.length;
    await writeFile(platform.supergraphPath, 'this is not a supergraph');
    await eventually(async () => {
      const rejected = platform.logs.slice(logsBefore).some((line) => line.includes('rejected'));
      expect(rejected).toBe(true);
      return rejected;
    });

    const result = await post(platform.gateway.url, { query: '{ me { id } }' }, auth);
    expect(result.body).toEqual({
      data: { me: { id: 'u-reload' } },
      extensions: { cost: expect.any(Object) },
    });
  });

  it('is served without a restart once it adds a field', async () => {
    const before = await post(platform.gateway.url, EXTRA, auth);
    expect(before.status).toBe(400);
    expect(errorCodes(before.body)).toEqual(['GRAPHQL_VALIDATION_FAILED']);

    await platform.writeSupergraph({ withExtra: true });

    const after = await eventually(async () => {
      const result = await post(platform.gateway.url, EXTRA, auth);
      expect(result.status).toBe(200);
      return result;
    });
    expect(after.body).toEqual({
      data: { extra: 'hello from the new field' },
      extensions: { cost: expect.any(Object) },
    });
  });
});
