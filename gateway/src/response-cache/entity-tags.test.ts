import { describe, expect, it } from '@jest/globals';
import { buildSchema, parse, print, specifiedRules, validate } from 'graphql';
import { resolveArgumentTags, tagDocument } from './entity-tag-document.js';
import { takeEntityTags } from './entity-tag-result.js';

const schema = buildSchema(`
  interface Node { id: ID! }
  type Document implements Node { id: ID! title: String! project: Project! }
  type Project implements Node { id: ID! name: String! }
  type Comment { id: ID text: String! }
  type Stats { count: Int! }
  union Subject = Document | Comment | Stats
  type Query {
    document(id: ID!): Document
    documents(projectId: ID!, tag: String): [Document!]!
    node(id: ID!): Node
    subject(id: ID!): Subject
    stats(documentId: ID!): Stats
  }
`);

const tagged = (query: string) => tagDocument(schema, parse(query));

describe('tagDocument', () => {
  it('adds the typename and the id to every selection set of an entity, keeping a valid document', () => {
    const { document } = tagged('{ document(id: "1") { title project { name } } }');
    expect(print(document)).toBe(
      print(
        parse(`{
          document(id: "1") {
            title
            project { name __cacheTypename: __typename __cacheId_ID: id }
            __cacheTypename: __typename
            __cacheId_ID: id
          }
        }`),
      ),
    );
    expect(validate(schema, document, specifiedRules)).toEqual([]);
  });

  it('asks each possible type of a union for its id, under an alias that names its type', () => {
    const { document } = tagged('{ subject(id: "1") { ... on Stats { count } } }');
    const printed = print(document);
    expect(printed).toContain('... on Document {\n      __cacheId_ID: id');
    expect(printed).toContain('... on Comment {\n      __cacheId_ID_nullable: id');
    expect(printed).not.toContain('... on Stats {\n      __cacheId');
    expect(validate(schema, document, specifiedRules)).toEqual([]);
  });

  it('asks an interface with an id for it directly', () => {
    const { document } = tagged('{ node(id: "1") { ... on Document { title } } }');
    expect(print(document)).toMatch(/__cacheTypename: __typename\s+__cacheId_ID: id\s+}\s+}$/);
    expect(validate(schema, document, specifiedRules)).toEqual([]);
  });

  it('leaves selection sets of types without an id with the typename only, and introspection alone', () => {
    const { document } = tagged('{ stats(documentId: "1") { count } __schema { types { name } } }');
    const printed = print(document);
    expect(printed).toContain('count\n    __cacheTypename: __typename\n  }');
    expect(printed).toContain('types {\n      name\n    }');
  });

  it('names the entities that arguments point at, with literals and variables', () => {
    const { argumentTags } = tagged(`query ($p: ID!) {
      document(id: "7") { title }
      documents(projectId: $p, tag: "x") { title }
      stats(documentId: 9) { count }
      node(id: "3") { id }
    }`);
    expect(resolveArgumentTags(argumentTags, { p: 'p1' })).toEqual([
      'Document:7',
      'Project:p1',
      'Document:9',
    ]);
    expect(resolveArgumentTags(argumentTags, {})).toEqual(['Document:7', 'Document:9']);
  });
});

describe('takeEntityTags', () => {
  it('collects Type:id tags at every depth and strips every added field', () => {
    const data = {
      documents: [
        {
          title: 'a',
          project: { name: 'p', __cacheTypename: 'Project', __cacheId_ID: 'p1' },
          __cacheTypename: 'Document',
          __cacheId_ID: '1',
        },
        { title: 'b', __cacheTypename: 'Document', __cacheId_ID: 2 },
      ],
      stats: { count: 3, __cacheTypename: 'Stats' },
      missing: null,
    };
    expect([...takeEntityTags(data)].sort()).toEqual(['Document:1', 'Document:2', 'Project:p1']);
    expect(data).toEqual({
      documents: [{ title: 'a', project: { name: 'p' } }, { title: 'b' }],
      stats: { count: 3 },
      missing: null,
    });
  });

  it('tags nothing for an entity whose id came back null', () => {
    const data = {
      comment: { text: 't', __cacheTypename: 'Comment', __cacheId_ID_nullable: null },
    };
    expect([...takeEntityTags(data)]).toEqual([]);
    expect(data).toEqual({ comment: { text: 't' } });
  });
});
