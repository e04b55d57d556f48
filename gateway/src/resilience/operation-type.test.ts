import { describe, expect, it } from '@jest/globals';
import { isRetryableOperation, subgraphOperationType } from './operation-type.js';

describe('subgraphOperationType', () => {
  it('reads the operations the query planner sends', () => {
    expect(subgraphOperationType('query Me__accounts__0{me{id name}}')).toBe('query');
    expect(subgraphOperationType('{me{id}}')).toBe('query');
    expect(
      subgraphOperationType(
        'query Me__reviews__1($representations:[_Any!]!){_entities(representations:$representations){...on User{reviewCount}}}',
      ),
    ).toBe('query');
    expect(
      subgraphOperationType('mutation Rename__accounts__0($name:String!){rename(name:$name)}'),
    ).toBe('mutation');
    expect(subgraphOperationType('subscription{onEvent}')).toBe('subscription');
  });

  it('skips leading whitespace, commas, comments and a byte order mark', () => {
    expect(subgraphOperationType('\uFEFF  ,\n# a comment\n  mutation { rename(name: "x") }')).toBe(
      'mutation',
    );
    expect(subgraphOperationType('# mutation in a comment\n{ me { id } }')).toBe('query');
  });

  it('finds the operation after leading fragments', () => {
    expect(subgraphOperationType('fragment F on User { id } query { me { ...F } }')).toBe('query');
    expect(subgraphOperationType('fragment F on User { id } mutation { rename(name: "x") }')).toBe(
      'mutation',
    );
  });

  it('tells a query that merely mentions the word mutation from a document holding one', () => {
    expect(subgraphOperationType('{ stats { mutationCount } }')).toBe('query');
    expect(subgraphOperationType('query A { me { id } } mutation B { rename(name: "x") }')).toBe(
      undefined,
    );
  });

  it('knows nothing of an empty, unreadable or operation-less document', () => {
    expect(subgraphOperationType(undefined)).toBeUndefined();
    expect(subgraphOperationType('')).toBeUndefined();
    expect(subgraphOperationType('@ query { a }')).toBeUndefined();
    expect(subgraphOperationType('# only a comment')).toBeUndefined();
    expect(subgraphOperationType('"unterminated')).toBeUndefined();
    expect(subgraphOperationType('fragment F on User { id }')).toBeUndefined();
    expect(subgraphOperationType('fragment F on User { id ')).toBeUndefined();
  });
});

describe('isRetryableOperation', () => {
  it('retries queries only: never a mutation, a subscription or an unknown document', () => {
    expect(isRetryableOperation('query Q__data__0{a}')).toBe(true);
    expect(isRetryableOperation('{a}')).toBe(true);
    expect(isRetryableOperation('mutation M__data__0{a}')).toBe(false);
    expect(isRetryableOperation('subscription{a}')).toBe(false);
    expect(isRetryableOperation('query A { a } mutation B { b }')).toBe(false);
    expect(isRetryableOperation('not graphql at all {')).toBe(false);
    expect(isRetryableOperation(undefined)).toBe(false);
  });
});
