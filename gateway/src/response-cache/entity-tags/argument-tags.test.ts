import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse } from 'graphql';
import { argumentTagsOf } from './argument-tags.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type Document implements Node { id: ID! title: String! }
  type Project implements Node { id: ID! name: String! }
  type Stats { count: Int! }
  type Query {
    document(id: ID!): Document
    documents(projectId: ID!, tag: String): [Document!]!
    documentsOf(projectIds: [ID!]!): [Document!]!
    node(id: ID!): Node
    stats(documentId: ID!): Stats
  }
`);

describe('argumentTagsOf', () => {
  const document = parse(`query ($p: ID!, $ps: [ID!]!) {
    document(id: "7") { title }
    documents(projectId: $p, tag: "x") { title }
    documentsOf(projectIds: $ps) { title }
    stats(documentId: 9) { count }
    node(id: "3") { id }
  }`);

  it('names the entities that id and <type>Id arguments point at, with literals and variables', () => {
    expect(argumentTagsOf(schema, document, { p: 'p1', ps: ['p2'] })).toEqual([
      'Document:7',
      'Project:p1',
      'Document:9',
    ]);
  });

  it('skips variables that are absent or not scalars', () => {
    expect(argumentTagsOf(schema, document, {})).toEqual(['Document:7', 'Document:9']);
  });
});
