import { createHash, createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  IdentityError,
  SIGNATURE_HEADER,
  signIdentity,
  verifyIdentity,
  type Principal,
} from './index.js';

/** The worked example of README.md, parsed from the JSON block after its marker. */
interface Vectors {
  secret: string;
  principal: Principal;
  subgraph: string;
  body: string;
  timestamp: string;
  bodySha256: string;
  headers: Record<string, string>;
  sameRequestForSubgraphData: string;
  verdicts: { subgraph: string; now: string; body?: string; result: string }[];
}

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
const block = /<!-- identity-test-vectors -->\s*```json\n([\s\S]*?)\n```/.exec(readme);
const vectors = JSON.parse(block![1]!) as Vectors;

/** The spec's steps written from scratch, as another language would, sharing no code with the package. */
function specSignature(subgraph: string): string {
  const digest = createHash('sha256').update(Buffer.from(vectors.body, 'utf8')).digest('hex');
  const identity = Buffer.from(JSON.stringify(vectors.principal), 'utf8').toString('base64url');
  const canonical = `platform-identity-v1\n${subgraph}\n${vectors.timestamp}\n${digest}\n${identity}`;
  return createHmac('sha256', Buffer.from(vectors.secret, 'utf8'))
    .update(Buffer.from(canonical, 'utf8'))
    .digest('base64url');
}

describe('the README worked example of the signed identity headers', () => {
  it('gives the body hash and signatures the README states, from the spec alone', () => {
    expect(createHash('sha256').update(vectors.body).digest('hex')).toBe(vectors.bodySha256);
    expect(specSignature(vectors.subgraph)).toBe(vectors.headers[SIGNATURE_HEADER]);
    expect(specSignature('data')).toBe(vectors.sameRequestForSubgraphData);
  });

  it('is what signIdentity sends', () => {
    const headers = signIdentity(vectors.principal, {
      secret: vectors.secret,
      subgraph: vectors.subgraph,
      body: vectors.body,
      now: Number(vectors.timestamp) * 1000 + 999,
    });
    expect(headers).toEqual(vectors.headers);
  });

  it.each(vectors.verdicts)(
    'is $result for subgraph $subgraph at $now',
    ({ subgraph, now, body, result }) => {
      let verdict = 'accepted';
      try {
        const principal = verifyIdentity(vectors.headers, {
          secret: vectors.secret,
          subgraph,
          body: body ?? vectors.body,
          now: Number(now) * 1000,
        });
        expect(principal).toEqual(vectors.principal);
      } catch (error) {
        if (!(error instanceof IdentityError)) throw error;
        verdict = error.reason;
      }
      expect(verdict).toBe(result);
    },
  );
});
