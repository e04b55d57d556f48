import { describe, expect, it } from '@jest/globals';
import { ApolloServer } from '@apollo/server';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse } from 'graphql';
import { HeaderMap } from '@apollo/server';
import {
  ENTITY_TAGS_EXTENSION,
  ENTITY_TAGS_REQUEST_HEADER,
  entityTagsPlugin,
} from './entity-tags.js';

const schema = buildSubgraphSchema({
  typeDefs: parse(`
    extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key"])
    type Project @key(fields: "id") { id: ID! name: String! documents: [Document!]! }
    type Document @key(fields: "id") { id: ID! title: String! }
    type Stats { count: Int! }
    type Query { project(id: ID!): Project stats: Stats }
  `),
  resolvers: {
    Query: {
      project: (_: unknown, { id }: { id: string }) => ({ _id: id, name: 'P' }),
      stats: () => ({ count: 2 }),
    },
    Project: {
      // Stored records keep `_id`: the tag must come from the type's own id resolver.
      id: (project: { _id: string }) => project._id,
      documents: () => [
        { id: 'd1', title: 'one' },
        { id: 'd2', title: 'two' },
      ],
    },
  },
});

async function reportedTags(query: string, asked = true): Promise<unknown> {
  const server = new ApolloServer({ schema, plugins: [entityTagsPlugin(schema)] });
  await server.start();
  try {
    const response = await server.executeOperation({
      query,
      http: {
        method: 'POST',
        search: '',
        body: undefined,
        headers: new HeaderMap(asked ? [[ENTITY_TAGS_REQUEST_HEADER, '1']] : []),
      },
    });
    if (response.body.kind !== 'single') throw new Error('expected a single result');
    return response.body.singleResult.extensions?.[ENTITY_TAGS_EXTENSION];
  } finally {
    await server.stop();
  }
}

describe('entityTagsPlugin', () => {
  it('reports every object with an id whose fields were resolved, even when id was not selected', async () => {
    const tags = await reportedTags('{ project(id: "p1") { name documents { title } } }');
    expect(tags).toEqual(['Project:p1', 'Document:d1', 'Document:d2']);
  });

  it('reports nothing to a caller that did not ask', async () => {
    expect(await reportedTags('{ project(id: "p1") { name } }', false)).toBeUndefined();
  });

  it('reports an empty list when the answer holds no object with an id', async () => {
    expect(await reportedTags('{ stats { count } }')).toEqual([]);
  });
});
