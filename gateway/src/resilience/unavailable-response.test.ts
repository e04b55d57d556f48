import { describe, expect, it } from '@jest/globals';
import { SubgraphUnavailableError } from './subgraph-failure.js';
import { missingFieldPaths, subgraphUnavailableResponse } from './unavailable-response.js';

const failure = new SubgraphUnavailableError('reviews', 'network');
const extensions = { code: 'SUBGRAPH_UNAVAILABLE', subgraph: 'reviews' };

describe('missingFieldPaths', () => {
  it('names each root field of a root fetch by its response name', () => {
    expect(
      missingFieldPaths({ query: '{ topReview best: topReview __typename me { id } }' }),
    ).toEqual([['topReview'], ['best'], ['me']]);
  });

  it('names each entity field of each representation of an entity fetch', () => {
    const query =
      'query Q__reviews__1($representations:[_Any!]!){_entities(representations:$representations){...on User{reviewCount latest:lastReview{id}}...on Product{rating}}}';
    const representations = [
      { __typename: 'User', id: 'u-1' },
      { __typename: 'Product', upc: 'p-1' },
      { __typename: 'User', id: 'u-2' },
    ];
    expect(missingFieldPaths({ query, variables: { representations } })).toEqual([
      ['_entities', 0, 'reviewCount'],
      ['_entities', 0, 'latest'],
      ['_entities', 1, 'rating'],
      ['_entities', 2, 'reviewCount'],
      ['_entities', 2, 'latest'],
    ]);
  });

  it('follows named fragments, and takes every field when no type condition names the type', () => {
    const query =
      'query($representations:[_Any!]!){_entities(representations:$representations){...R}} fragment R on Node { reviewCount }';
    expect(
      missingFieldPaths({ query, variables: { representations: [{ __typename: 'User' }] } }),
    ).toEqual([['_entities', 0, 'reviewCount']]);
  });

  it('stops at the limit', () => {
    const query = '{_entities(representations:$r){...on User{a b}}}';
    const representations = Array.from({ length: 1000 }, () => ({ __typename: 'User' }));
    expect(missingFieldPaths({ query, variables: { representations } }, 5)).toHaveLength(5);
  });

  it('finds nothing in an unparsable document or one without an operation', () => {
    expect(missingFieldPaths({ query: '{ broken' })).toEqual([]);
    expect(missingFieldPaths({ query: 'fragment F on User { id }' })).toEqual([]);
    expect(missingFieldPaths({})).toEqual([]);
  });
});

describe('subgraphUnavailableResponse', () => {
  it('answers no data and a SUBGRAPH_UNAVAILABLE error naming the subgraph at each missing field', () => {
    expect(subgraphUnavailableResponse({ query: '{ topReview me { id } }' }, failure)).toEqual({
      data: null,
      errors: [
        { message: failure.message, path: ['topReview'], extensions },
        { message: failure.message, path: ['me'], extensions },
      ],
    });
    expect(failure.message).toBe('Subgraph "reviews" is unavailable: it could not be reached');
  });

  it('still answers one error when no field can be named', () => {
    expect(subgraphUnavailableResponse({ query: '{ __typename }' }, failure)).toEqual({
      data: null,
      errors: [{ message: failure.message, extensions }],
    });
  });

  it('answers at most 100 errors for a long list of entities', () => {
    const representations = Array.from({ length: 500 }, () => ({ __typename: 'User' }));
    const response = subgraphUnavailableResponse(
      {
        query: 'query($r:[_Any!]!){_entities(representations:$r){...on User{reviewCount}}}',
        variables: { representations },
      },
      failure,
    );
    expect(response.errors).toHaveLength(100);
  });
});
