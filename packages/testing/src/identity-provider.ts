import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  SignJWT,
  exportJWK,
  generateKeyPair,
  type CryptoKey,
  type JWK,
  type JWTPayload,
} from 'jose';

/**
 * An OpenID Connect provider of a test's own: key pairs it makes (jose generateKeyPair), served
 * on loopback as a JWKS with a discovery document, and tokens signed with them. `rotate` replaces
 * the published keys with a new pair under a new `kid`, as a provider rotating its keys does.
 */
export interface TestIdentityProvider {
  /** The provider's `iss`, its base URL. */
  issuer: string;
  /** Where it serves its key set (also named by its discovery document). */
  jwksUrl: string;
  /** How many times the key set was fetched. */
  readonly jwksFetches: number;
  /** A token signed with the current key (or one of another algorithm, a foreign key, ...). */
  sign(claims: JWTPayload, options?: SignOptions): Promise<string>;
  /** Publishes a new key (new `kid`, of `alg`) in place of the old one; returns the new kid. */
  rotate(alg?: AsymmetricAlgorithm): Promise<string>;
  stop(): Promise<void>;
}

export type AsymmetricAlgorithm = 'RS256' | 'ES256' | 'PS256' | 'ES384' | 'RS512';

export interface SignOptions {
  /** @default now + 5 minutes */
  expiresAt?: number;
  /** Sign with a key of this algorithm that the provider never published. */
  unpublishedKey?: AsymmetricAlgorithm;
  /** Sign with HS256 and this secret instead (a token no JWKS can verify). */
  hmacSecret?: string;
}

interface SigningKey {
  kid: string;
  alg: AsymmetricAlgorithm;
  privateKey: CryptoKey;
  jwk: JWK;
}

async function newKey(alg: AsymmetricAlgorithm, kid: string): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg);
  return { kid, alg, privateKey, jwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export async function startTestIdentityProvider(
  options: { alg?: AsymmetricAlgorithm } = {},
): Promise<TestIdentityProvider> {
  let generation = 1;
  let current = await newKey(options.alg ?? 'RS256', `key-${generation}`);
  let jwksFetches = 0;
  let base = '';

  const server = http.createServer((req, res) => {
    const send = (body: object) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/.well-known/openid-configuration') {
      return send({ issuer: base, jwks_uri: `${base}/jwks.json` });
    }
    if (req.url === '/jwks.json') {
      jwksFetches += 1;
      return send({ keys: [current.jwk] });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer: base,
    jwksUrl: `${base}/jwks.json`,
    get jwksFetches() {
      return jwksFetches;
    },
    async sign(claims, { expiresAt, unpublishedKey, hmacSecret } = {}) {
      const now = Math.floor(Date.now() / 1000);
      const jwt = new SignJWT({ iss: base, ...claims })
        .setIssuedAt(now)
        .setExpirationTime(expiresAt ?? now + 300);
      if (hmacSecret) {
        return jwt
          .setProtectedHeader({ alg: 'HS256', kid: current.kid })
          .sign(new TextEncoder().encode(hmacSecret));
      }
      const key = unpublishedKey ? await newKey(unpublishedKey, current.kid) : current;
      return jwt.setProtectedHeader({ alg: key.alg, kid: key.kid }).sign(key.privateKey);
    },
    async rotate(alg = current.alg) {
      generation += 1;
      current = await newKey(alg, `key-${generation}`);
      return current.kid;
    },
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
