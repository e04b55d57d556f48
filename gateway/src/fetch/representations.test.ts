import { describe, expect, it } from '@jest/globals';
import { distinctRepresentations } from './representations.js';

/** The variables the query planner sends for `Document.author` of three documents by two users. */
const authorsOfThreeDocuments = {
  representations: [
    { __typename: 'User', id: 'u1' },
    { id: 'u2', __typename: 'User' },
    { id: 'u1', __typename: 'User' },
  ],
};

describe('distinctRepresentations', () => {
  it('sends each distinct representation once, whatever the order of its keys', () => {
    const distinct = distinctRepresentations(authorsOfThreeDocuments);
    expect(distinct?.variables.representations).toEqual([
      { __typename: 'User', id: 'u1' },
      { id: 'u2', __typename: 'User' },
    ]);
    expect(distinct?.counts).toEqual({ sent: 2, original: 3 });
  });

  it('keeps the other variables of the fetch', () => {
    const distinct = distinctRepresentations({ ...authorsOfThreeDocuments, first: 5 });
    expect(distinct?.variables.first).toBe(5);
  });

  it('tells compound keys apart by every field, nested ones included', () => {
    const representations = [
      { __typename: 'Stat', owner: { id: 'u1', org: 'a' }, day: 1 },
      { __typename: 'Stat', owner: { org: 'a', id: 'u1' }, day: 1 },
      { __typename: 'Stat', owner: { id: 'u1', org: 'b' }, day: 1 },
    ];
    expect(distinctRepresentations({ representations })?.counts).toEqual({
      sent: 2,
      original: 3,
    });
  });

  it('leaves a fetch without duplicates, or without representations, as it is', () => {
    expect(
      distinctRepresentations({ representations: [{ __typename: 'User', id: 'u1' }] }),
    ).toBeUndefined();
    expect(
      distinctRepresentations({
        representations: [
          { __typename: 'User', id: 'u1' },
          { __typename: 'User', id: 'u2' },
        ],
      }),
    ).toBeUndefined();
    expect(distinctRepresentations({ id: 'x' })).toBeUndefined();
    expect(distinctRepresentations(undefined)).toBeUndefined();
  });

  it('fans each entity of the answer back to every position that asked for it, each its own copy', () => {
    const distinct = distinctRepresentations(authorsOfThreeDocuments)!;
    const answer = {
      data: {
        _entities: [
          { id: 'u1', name: 'Ada', org: { id: 'o1' } },
          { id: 'u2', name: 'Bob', org: { id: 'o1' } },
        ],
      },
      extensions: { entityTags: ['User:u1', 'User:u2'] },
    };
    const expanded = distinct.expand(answer);
    const entities = expanded.data._entities;
    expect(entities).toEqual([
      { id: 'u1', name: 'Ada', org: { id: 'o1' } },
      { id: 'u2', name: 'Bob', org: { id: 'o1' } },
      { id: 'u1', name: 'Ada', org: { id: 'o1' } },
    ]);
    // The gateway merges later fetches into these objects: no two positions share one.
    expect(entities[2]).not.toBe(entities[0]);
    expect(entities[2]!.org).not.toBe(entities[0]!.org);
    expect(expanded.extensions).toEqual(answer.extensions);
  });

  it('moves an error at an entity to every original position of that entity', () => {
    const distinct = distinctRepresentations(authorsOfThreeDocuments)!;
    const expanded = distinct.expand({
      data: { _entities: [null, { id: 'u2', name: 'Bob' }] },
      errors: [
        { message: 'no such user', path: ['_entities', 0, 'name'], extensions: { code: 'X' } },
        { message: 'not an entity error', path: ['other', 0] },
        { message: 'no path' },
      ],
    });
    expect(expanded.data._entities).toEqual([null, { id: 'u2', name: 'Bob' }, null]);
    expect(expanded.errors).toEqual([
      { message: 'no such user', path: ['_entities', 0, 'name'], extensions: { code: 'X' } },
      { message: 'no such user', path: ['_entities', 2, 'name'], extensions: { code: 'X' } },
      { message: 'not an entity error', path: ['other', 0] },
      { message: 'no path' },
    ]);
  });

  it('spreads the errors of an answer without data (an unavailable subgraph) over every position', () => {
    const distinct = distinctRepresentations(authorsOfThreeDocuments)!;
    const expanded = distinct.expand({
      data: null,
      errors: [
        { message: 'down', path: ['_entities', 0, 'name'] },
        { message: 'down', path: ['_entities', 1, 'name'] },
      ],
    });
    expect(expanded.data).toBeNull();
    expect(expanded.errors?.map((error) => error.path)).toEqual([
      ['_entities', 0, 'name'],
      ['_entities', 2, 'name'],
      ['_entities', 1, 'name'],
    ]);
  });
});
