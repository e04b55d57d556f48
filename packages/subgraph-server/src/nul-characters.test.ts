import { ApolloServer } from '@apollo/server';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { nulCharacterGuard } from './nul-characters.js';

const typeDefs = `#graphql
  scalar JSON
  input Note { text: String!, tags: [String!] }
  type Query { echo(text: String, note: Note, notes: [Note!], body: JSON): String }
`;

let server: ApolloServer;
let calls = 0;

beforeAll(async () => {
  server = new ApolloServer({
    typeDefs,
    resolvers: { Query: { echo: () => `call ${++calls}` } },
    plugins: [nulCharacterGuard],
  });
  await server.start();
});

afterAll(() => server.stop());

async function run(query: string, variables?: Record<string, unknown>) {
  const response = await server.executeOperation({ query, variables });
  if (response.body.kind !== 'single') throw new Error('expected a single result');
  return { status: response.http.status, ...response.body.singleResult };
}

async function refusedArgument(query: string, variables?: Record<string, unknown>) {
  const before = calls;
  const result = await run(query, variables);
  expect(calls).toBe(before); // nothing executed
  expect(result.status).toBe(200);
  expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  return result.errors?.[0]?.extensions?.argument;
}

describe('nulCharacterGuard', () => {
  it('names an inline string argument holding NUL, escaped as \\u0000 or \\u{0}', async () => {
    expect(await refusedArgument('{ echo(text: "a\\u0000b") }')).toBe('text');
    expect(await refusedArgument('{ echo(text: "a\\u{0}b") }')).toBe('text');
  });

  it('names the path inside input objects, lists and JSON values', async () => {
    expect(await refusedArgument('{ echo(note: { text: "ok", tags: ["x", "y\\u0000"] }) }')).toBe(
      'note.tags.1',
    );
    expect(
      await refusedArgument('query ($notes: [Note!]) { echo(notes: $notes) }', {
        notes: [{ text: 'fine' }, { text: 'bad\u0000' }],
      }),
    ).toBe('notes.1.text');
    expect(
      await refusedArgument('query ($body: JSON) { echo(body: $body) }', {
        body: { deep: [{ key: 'v\u0000' }] },
      }),
    ).toBe('body.deep.0.key');
    expect(
      await refusedArgument('query ($body: JSON) { echo(body: $body) }', {
        body: { 'k\u0000': 1 },
      }),
    ).toBe('body.k\u0000');
  });

  it('follows a variable into an input object and into fragments', async () => {
    expect(
      await refusedArgument(
        'query ($t: String!) { ...F } fragment F on Query { echo(note: { text: $t }) }',
        { t: '\u0000' },
      ),
    ).toBe('note.text');
  });

  it("checks a variable's default value when none is sent", async () => {
    expect(await refusedArgument('query ($t: String = "x\\u0000") { echo(text: $t) }', {})).toBe(
      'text',
    );
  });

  it('lets through strings without NUL, and NUL in an operation that does not run', async () => {
    const ok = await server.executeOperation({
      query: 'query Runs { echo(text: "\\u0041 fine") } query Other { echo(text: "\\u0000") }',
      operationName: 'Runs',
    });
    expect(ok.body.kind === 'single' && ok.body.singleResult.errors).toBeUndefined();
    const plain = await run('query ($body: JSON) { echo(body: $body) }', { body: { a: ['b'] } });
    expect(plain.errors).toBeUndefined();
  });
});
