import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  compose,
  CompositionError,
  RoverConfigError,
  schemaFiles,
  staleSchemaFiles,
  writeSchemaFiles,
} from './index.js';

const FEDERATION_LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])';

describe('the committed supergraph', () => {
  it('equals a fresh composition of rover.yaml (run `npm run compose` when this fails)', async () => {
    const stale = await staleSchemaFiles(schemaFiles(await compose()));
    expect(stale).toEqual([]);
  });

  it('keeps federation internals out of the client-facing API schema', async () => {
    const { supergraphSdl, apiSchemaSdl } = await compose();
    expect(supergraphSdl).toContain('@join__graph(name: "user"');
    expect(supergraphSdl).toContain('@tag(name: "public")');
    expect(apiSchemaSdl).toContain('signUp(');
    expect(apiSchemaSdl).not.toMatch(/@join__|@link|@tag|join__Graph|_Entity|_service/);
  });
});

describe('compose', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'composer-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** Writes the subgraph schemas and a rover.yaml listing them; returns the rover.yaml path. */
  async function roverConfig(name: string, subgraphs: Record<string, string>): Promise<string> {
    const entries = await Promise.all(
      Object.entries(subgraphs).map(async ([subgraph, sdl], index) => {
        await writeFile(path.join(dir, `${name}-${subgraph}.graphql`), sdl);
        return [
          `  ${subgraph}:`,
          `    routing_url: http://127.0.0.1:${5001 + index}/graphql`,
          `    schema:`,
          `      file: ./${name}-${subgraph}.graphql`,
        ].join('\n');
      }),
    );
    const configPath = path.join(dir, `${name}.yaml`);
    await writeFile(configPath, `federation_version: =2.7.0\nsubgraphs:\n${entries.join('\n')}\n`);
    return configPath;
  }

  async function compositionErrors(configPath: string): Promise<string[]> {
    try {
      await compose(configPath);
    } catch (error) {
      if (error instanceof CompositionError) return error.errors;
      throw error;
    }
    throw new Error('expected composition to fail');
  }

  it('composes subgraphs that share an entity into a supergraph with their routing URLs', async () => {
    const configPath = await roverConfig('valid', {
      users: `${FEDERATION_LINK}\ntype User @key(fields: "id") { id: ID! name: String! }\ntype Query { me: User }`,
      posts: `${FEDERATION_LINK}\ntype User @key(fields: "id") { id: ID! posts: [String!]! }\ntype Query { feed: [String!]! }`,
    });
    const { supergraphSdl, apiSchemaSdl } = await compose(configPath);
    expect(supergraphSdl).toContain(
      '@join__graph(name: "users", url: "http://127.0.0.1:5001/graphql")',
    );
    const user = /type User \{([^}]*)\}/.exec(apiSchemaSdl)?.[1];
    expect(user).toContain('name: String!');
    expect(user).toContain('posts: [String!]!');
  });

  it('fails with the composition error when two subgraphs define the same non-shareable field', async () => {
    const configPath = await roverConfig('conflict', {
      left: `${FEDERATION_LINK}\ntype Query { greeting: String }`,
      right: `${FEDERATION_LINK}\ntype Query { greeting: String }`,
    });
    const errors = await compositionErrors(configPath);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(
      /Non-shareable field "Query.greeting" is resolved from multiple subgraphs.*"left".*"right"/,
    );
    await expect(compose(configPath)).rejects.toThrow(/Composition failed:\n {2}- Non-shareable/);
  });

  it('reports every subgraph whose SDL does not parse, by name', async () => {
    const configPath = await roverConfig('syntax', {
      broken: `${FEDERATION_LINK}\ntype Query { greeting: String`,
      alsoBroken: `type Query {`,
    });
    const errors = await compositionErrors(configPath);
    expect(errors).toEqual([
      expect.stringMatching(/^\[broken\] .*syntax-broken\.graphql: Syntax Error/),
      expect.stringMatching(/^\[alsoBroken\] .*syntax-alsoBroken\.graphql: Syntax Error/),
    ]);
  });

  it('names the rover.yaml key that is missing', async () => {
    const configPath = path.join(dir, 'no-url.yaml');
    await writeFile(
      configPath,
      'federation_version: =2.7.0\nsubgraphs:\n  users:\n    schema:\n      file: ./x.graphql\n',
    );
    await expect(compose(configPath)).rejects.toThrow(RoverConfigError);
    await expect(compose(configPath)).rejects.toThrow(/subgraphs\.users\.routing_url/);
  });

  it('names each committed file that differs from a fresh composition', async () => {
    const files = schemaFiles({ supergraphSdl: 'type Query { a: Int }', apiSchemaSdl: 'x' }, dir);
    await writeSchemaFiles(files);
    expect(await staleSchemaFiles(files)).toEqual([]);

    const changed = schemaFiles({ supergraphSdl: 'type Query { b: Int }', apiSchemaSdl: 'x' }, dir);
    expect(await staleSchemaFiles(changed)).toEqual([path.join(dir, 'supergraph.graphql')]);
  });
});
