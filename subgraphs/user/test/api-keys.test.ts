import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  API_KEY_VERIFICATION_PATH,
  API_KEY_VERIFICATION_SUBGRAPH,
  signIdentity,
  type Principal,
} from '@platform/identity';
import { anonymous, errorCodes } from '@platform/testing';
import { GATEWAY_SECRET, startTestSubgraph, type TestSubgraph } from './harness.js';

const CREATE_API_KEY = `mutation ($name: String!, $scopes: [ApiKeyScope!]!) {
  createApiKey(name: $name, scopes: $scopes) {
    secret
    apiKey { id name scopes prefix createdAt lastUsedAt revokedAt }
  }
}`;

const REVOKE_API_KEY = `mutation ($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }`;

interface CreatedApiKey {
  secret: string;
  apiKey: { id: string; name: string; scopes: string[]; prefix: string; revokedAt: string | null };
}

let api: TestSubgraph;

beforeAll(async () => {
  api = await startTestSubgraph();
});

afterAll(async () => {
  await api?.stop();
});

async function createKey(principal: Principal, scopes = ['READ', 'WRITE'], name = 'ci') {
  const result = await api.graphql<{ createApiKey: CreatedApiKey }>(
    CREATE_API_KEY,
    { name, scopes },
    principal,
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return result.data.createApiKey;
}

/** POSTs to the verification endpoint, signed as the gateway signs it unless `signed` is false. */
async function verify(request: unknown, signed = true) {
  const body = typeof request === 'string' ? request : JSON.stringify(request);
  const signature = signIdentity(anonymous, {
    secret: GATEWAY_SECRET,
    subgraph: API_KEY_VERIFICATION_SUBGRAPH,
    body,
  });
  const response = await fetch(`${api.origin}${API_KEY_VERIFICATION_PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signed ? signature : {}) },
    body,
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('API keys', () => {
  it('returns the secret once and stores only its SHA-256 and a short prefix', async () => {
    const owner = await api.signUp();
    const { secret, apiKey } = await createKey(owner.principal, ['READ'], 'reporting');

    expect(secret).toMatch(/^pk_[A-Za-z0-9_-]{43}$/);
    expect(apiKey).toMatchObject({ name: 'reporting', scopes: ['READ'], revokedAt: null });
    expect(apiKey.prefix).toBe(secret.slice(0, 10));
    const { rows } = await api.subgraph.pool.query('SELECT * FROM api_keys WHERE id = $1', [
      apiKey.id,
    ]);
    expect(rows[0].secret_hash).toBe(createHash('sha256').update(secret).digest('hex'));
    expect(JSON.stringify(rows[0])).not.toContain(secret);
  });

  it('verifies a live key for the gateway as an apiKey principal and records its use', async () => {
    const owner = await api.signUp();
    await api.makeAdmin(owner.id);
    const { secret, apiKey } = await createKey(owner.principal, ['READ']);

    const response = await verify({ key: secret });

    expect(response).toEqual({
      status: 200,
      body: {
        principal: {
          kind: 'apiKey',
          userId: owner.id,
          role: 'ADMIN',
          scopes: ['read'],
          apiKeyId: apiKey.id,
        },
      },
    });
    const { rows } = await api.subgraph.pool.query(
      'SELECT last_used_at FROM api_keys WHERE id = $1',
      [apiKey.id],
    );
    expect(rows[0].last_used_at).toBeInstanceOf(Date);
  });

  it('refuses a revoked key with 401 after revokeApiKey', async () => {
    const owner = await api.signUp();
    const { secret, apiKey } = await createKey(owner.principal);
    expect((await verify({ key: secret })).status).toBe(200);

    const revoked = await api.graphql<{ revokeApiKey: { id: string; revokedAt: string } }>(
      REVOKE_API_KEY,
      { id: apiKey.id },
      owner.principal,
    );
    expect(revoked.errors).toBeUndefined();
    expect(revoked.data!.revokeApiKey.revokedAt).toEqual(expect.any(String));

    expect(await verify({ key: secret })).toEqual({
      status: 401,
      body: { errors: [{ message: 'Invalid API key', extensions: { code: 'UNAUTHENTICATED' } }] },
    });
  });

  it('refuses an unknown key with 401 and a malformed body with 400', async () => {
    expect((await verify({ key: `pk_${'A'.repeat(43)}` })).status).toBe(401);
    expect((await verify({ key: 'not a key' })).status).toBe(401);
    expect((await verify({ secret: 'wrong field' })).status).toBe(400);
    expect((await verify('{"key": ')).status).toBe(400);
  });

  it('answers the verification endpoint only to the gateway', async () => {
    const response = await verify({ key: `pk_${'A'.repeat(43)}` }, false);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({
      errors: [expect.objectContaining({ extensions: { code: 'UNAUTHENTICATED' } })],
    });
  });

  it("answers NOT_FOUND when revoking another user's key, and leaves it live", async () => {
    const owner = await api.signUp();
    const stranger = await api.signUp();
    const { secret, apiKey } = await createKey(owner.principal);

    const result = await api.graphql(REVOKE_API_KEY, { id: apiKey.id }, stranger.principal);

    expect(errorCodes(result)).toEqual(['NOT_FOUND']);
    expect((await verify({ key: secret })).status).toBe(200);
  });

  it('lists the caller’s keys newest first', async () => {
    const owner = await api.signUp();
    const first = await createKey(owner.principal, ['READ'], 'first');
    const second = await createKey(owner.principal, ['WRITE'], 'second');
    await createKey((await api.signUp()).principal, ['READ'], 'someone else');

    const result = await api.graphql<{ apiKeys: Array<{ id: string; scopes: string[] }> }>(
      '{ apiKeys { id scopes } }',
      {},
      owner.principal,
    );

    expect(result.data!.apiKeys).toEqual([
      { id: second.apiKey.id, scopes: ['WRITE'] },
      { id: first.apiKey.id, scopes: ['READ'] },
    ]);
  });

  it('refuses to let an API key mint another key (FORBIDDEN)', async () => {
    const owner = await api.signUp();
    const { secret } = await createKey(owner.principal);
    const keyPrincipal = (await verify({ key: secret })).body.principal as Principal;

    const result = await api.graphql(CREATE_API_KEY, { name: 'x', scopes: ['READ'] }, keyPrincipal);

    expect(errorCodes(result)).toEqual(['FORBIDDEN']);
  });

  it('refuses a mutation to a read-only key (FORBIDDEN) but answers its queries', async () => {
    const owner = await api.signUp();
    const { secret } = await createKey(owner.principal, ['READ']);
    const readOnly = (await verify({ key: secret })).body.principal as Principal;

    const mutation = await api.graphql(
      'mutation { createOrganization(name: "Acme") { id } }',
      {},
      readOnly,
    );
    const query = await api.graphql<{ me: { id: string } }>('{ me { id } }', {}, readOnly);

    expect(errorCodes(mutation)).toEqual(['FORBIDDEN']);
    expect(query.data!.me.id).toBe(owner.id);
  });

  it('refuses an empty scope list and anonymous callers', async () => {
    const owner = await api.signUp();
    const empty = await api.graphql(CREATE_API_KEY, { name: 'x', scopes: [] }, owner.principal);
    const anonymousCall = await api.graphql(CREATE_API_KEY, { name: 'x', scopes: ['READ'] });

    expect(errorCodes(empty)).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(anonymousCall)).toEqual(['UNAUTHENTICATED']);
  });
});
