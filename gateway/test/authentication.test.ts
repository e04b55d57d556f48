import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { issueAccessToken, signIdentity, type Principal } from '@platform/identity';
import {
  adminPrincipal,
  errorCodes,
  postGraphQL as post,
  type GraphQLResult,
} from '@platform/testing';
import {
  API_KEYS,
  GATEWAY_SECRET,
  bearer,
  startTestPlatform,
  type TestPlatform,
} from './test-platform.js';

let platform: TestPlatform;
let url: string;

beforeAll(async () => {
  platform = await startTestPlatform();
  url = platform.gateway.url;
});

afterAll(async () => {
  await platform.stop();
});

const CALLER = { query: '{ caller }' };

/** The principal the user subgraph saw for a `{ caller }` query. */
function seenPrincipal(result: GraphQLResult): Principal {
  expect(result.body.errors).toBeUndefined();
  return (JSON.parse(result.body.data?.caller as string) as { principal: Principal }).principal;
}

const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('access tokens', () => {
  it('sends the signed principal of a valid JWT to every subgraph the query plan calls', async () => {
    const result = await post(url, { query: '{ me { id name seenBy } }' }, await bearer('u-42'));
    expect(result.status).toBe(200);
    const user = result.body.data?.me as { id: string; name: string; seenBy: string };
    expect(user).toMatchObject({ id: 'u-42', name: 'Ada' });
    // The data subgraph resolved seenBy from the principal it verified itself.
    expect(JSON.parse(user.seenBy)).toEqual({
      kind: 'user',
      userId: 'u-42',
      role: 'USER',
      scopes: ['read', 'write'],
    });
  });

  it('carries the caller request id to the subgraph and echoes it', async () => {
    const result = await post(url, CALLER, { ...(await bearer()), 'x-request-id': 'req-abc-123' });
    expect(result.headers.get('x-request-id')).toBe('req-abc-123');
    expect(JSON.parse(result.body.data?.caller as string).requestId).toBe('req-abc-123');
  });

  it.each([
    [
      'signed with another secret',
      async () => {
        const { token } = await issueAccessToken(
          { userId: 'u-1', role: 'ADMIN' },
          'x'.repeat(40),
          60,
        );
        return `Bearer ${token}`;
      },
    ],
    [
      'with a tampered signature',
      async () => `${(await bearer()).authorization!.slice(0, -4)}AAAA`,
    ],
    ['expired', async () => (await bearer('u-1', -30)).authorization!],
    [
      "unsigned with alg 'none'",
      async () => {
        const exp = Math.floor(Date.now() / 1000) + 60;
        const claims = { sub: 'u-1', role: 'ADMIN', iss: 'platform', aud: 'platform-api', exp };
        return `Bearer ${b64({ alg: 'none', typ: 'JWT' })}.${b64(claims)}.`;
      },
    ],
    ['not a JWT at all', async () => 'Bearer not-a-jwt'],
  ])('refuses a token %s with 401 UNAUTHENTICATED', async (_case, authorization) => {
    const result = await post(url, CALLER, { authorization: await authorization() });
    expect(result.status).toBe(401);
    expect(errorCodes(result.body)).toEqual(['UNAUTHENTICATED']);
  });

  it('says when a token has expired', async () => {
    const result = await post(url, CALLER, await bearer('u-1', -30));
    expect(result.body.errors?.[0]?.message).toBe('The access token has expired');
  });

  it.each(['Bearer', 'Basic dXNlcjpwYXNz', 'Bearer one two', 'token-without-scheme', ''])(
    'refuses the malformed Authorization header %j with 401 UNAUTHENTICATED',
    async (authorization) => {
      const result = await post(url, CALLER, { authorization });
      expect(result.status).toBe(401);
      expect(errorCodes(result.body)).toEqual(['UNAUTHENTICATED']);
    },
  );
});

describe('anonymous callers', () => {
  it('may call a mutation tagged public', async () => {
    const result = await post(url, { query: 'mutation { signUp(name: "Ada") }' });
    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({ signUp: 'welcome Ada' });
  });

  it('may ask for __typename', async () => {
    const result = await post(url, { query: '{ __typename }' });
    expect(result.status).toBe(200);
    expect(result.body.data).toEqual({ __typename: 'Query' });
  });

  it.each([
    ['a private query', '{ me { id } }'],
    ['a private mutation', 'mutation { rename(name: "x") }'],
    ['a private field beside a public one', 'mutation { signUp(name: "a") rename(name: "b") }'],
    [
      'a private field inside a fragment',
      'mutation { signUp(name: "a") ...M } fragment M on Mutation { rename(name: "b") }',
    ],
    [
      'a private field under a false @include',
      'mutation { signUp(name: "a") rename(name: "b") @include(if: false) }',
    ],
    ['introspection', '{ __schema { queryType { name } } }'],
  ])('get 401 "Authentication required" for %s', async (_case, query) => {
    const before = platform.observed.renames;
    const result = await post(url, { query });
    expect(result.status).toBe(401);
    expect(result.body.errors).toEqual([
      { message: 'Authentication required', extensions: { code: 'UNAUTHENTICATED' } },
    ]);
    expect(platform.observed.renames).toBe(before);
  });
});

describe('API keys', () => {
  it.each([
    ['x-api-key', { 'x-api-key': API_KEYS.readWrite }],
    ['Authorization: ApiKey', { authorization: `ApiKey ${API_KEYS.readWrite}` }],
  ])('authenticates a key sent as %s', async (_header, headers) => {
    const result = await post(url, CALLER, headers);
    expect(result.status).toBe(200);
    expect(seenPrincipal(result)).toEqual({
      kind: 'apiKey',
      userId: 'u-key-owner',
      role: 'USER',
      scopes: ['read', 'write'],
      apiKeyId: 'k-rw',
    });
  });

  it('lets a read-write key run a mutation', async () => {
    const result = await post(
      url,
      { query: 'mutation { rename(name: "by key") }' },
      { 'x-api-key': API_KEYS.readWrite },
    );
    expect(result.body).toEqual({
      data: { rename: 'by key' },
      extensions: { cost: expect.any(Object) },
    });
  });

  it('refuses an unknown key with 401 UNAUTHENTICATED', async () => {
    const result = await post(url, CALLER, { 'x-api-key': 'pk_unknown' });
    expect(result.status).toBe(401);
    expect(errorCodes(result.body)).toEqual(['UNAUTHENTICATED']);
  });

  it('refuses a mutation from a read-only key with 403 FORBIDDEN before calling any subgraph', async () => {
    const before = platform.observed.renames;
    const result = await post(
      url,
      { query: 'mutation { rename(name: "x") }' },
      { 'x-api-key': API_KEYS.readOnly },
    );
    expect(result.status).toBe(403);
    expect(errorCodes(result.body)).toEqual(['FORBIDDEN']);
    expect(platform.observed.renames).toBe(before);
  });

  it('lets a read-only key query', async () => {
    const result = await post(url, CALLER, { authorization: `ApiKey ${API_KEYS.readOnly}` });
    expect(seenPrincipal(result)).toMatchObject({ kind: 'apiKey', scopes: ['read'] });
  });

  it('asks the user subgraph once per key while the verdict is cached, bad keys included', async () => {
    const before = platform.observed.verifications;
    for (let i = 0; i < 3; i++) {
      await post(url, CALLER, { 'x-api-key': 'pk_cached_bad_key' });
      await post(url, CALLER, { 'x-api-key': 'pk_cached_bad_key_2' });
    }
    expect(platform.observed.verifications - before).toBe(2);
  });

  it('refuses a request that sends both a token and a key', async () => {
    const result = await post(url, CALLER, {
      ...(await bearer()),
      'x-api-key': API_KEYS.readWrite,
    });
    expect(result.status).toBe(401);
    expect(errorCodes(result.body)).toEqual(['UNAUTHENTICATED']);
  });
});

describe('identity headers from clients', () => {
  // A client cannot know the body the gateway will send, so any body will do for the attempt.
  const signedAs = (principal: Principal, secret: string) =>
    signIdentity(principal, { secret, subgraph: 'user', body: '' });
  const forged = (principal: Principal) => signedAs(principal, 'f'.repeat(40));
  const admin = adminPrincipal('evil');

  it('are dropped: the subgraph sees the principal the gateway established', async () => {
    const result = await post(url, CALLER, { ...forged(admin), ...(await bearer('u-7')) });
    expect(seenPrincipal(result)).toEqual({
      kind: 'user',
      userId: 'u-7',
      role: 'USER',
      scopes: ['read', 'write'],
    });
  });

  it('are dropped even when signed with the real gateway secret', async () => {
    const genuine = signedAs(admin, GATEWAY_SECRET);
    const result = await post(url, CALLER, { ...genuine, ...(await bearer('u-8')) });
    expect(seenPrincipal(result)).toMatchObject({ userId: 'u-8', role: 'USER' });
  });

  it('do not authenticate an anonymous caller', async () => {
    const result = await post(url, CALLER, signedAs(admin, GATEWAY_SECRET));
    expect(result.status).toBe(401);
    expect(errorCodes(result.body)).toEqual(['UNAUTHENTICATED']);
  });
});
