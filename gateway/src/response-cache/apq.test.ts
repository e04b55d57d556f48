import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { persistedQueryErrorCodes } from './apq.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('persistedQueryErrorCodes', () => {
  it('gives an APQ hash mismatch the code PERSISTED_QUERY_HASH_MISMATCH, keeping its 400', async () => {
    const apollo = new ApolloServer({
      typeDefs: 'type Query { hello: String }',
      plugins: [persistedQueryErrorCodes()],
    });
    await apollo.start();
    try {
      const query = '{ hello }';
      const mismatch = await apollo.executeOperation({
        query,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256('{ other }') } },
      });
      expect(mismatch.http.status).toBe(400);
      expect(mismatch.body).toEqual({
        kind: 'single',
        singleResult: {
          errors: [
            {
              message: expect.stringContaining('not the SHA-256 of the query'),
              extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH' },
            },
          ],
        },
      });

      const matching = await apollo.executeOperation({
        query,
        extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } },
      });
      expect(matching.body).toEqual({ kind: 'single', singleResult: { data: { hello: null } } });
    } finally {
      await apollo.stop();
    }
  });
});
