import { describe, expect, it } from '@jest/globals';
import { GraphQLError, Kind } from 'graphql';
import { checkLimits, type CostLimits } from './limits.js';
import { countTokens, exceededTokenLimit, parseWithTokenLimit } from './tokens.js';

const LIMITS: CostLimits = {
  maxCost: 5000,
  maxDepth: 12,
  maxAliases: 30,
  maxRootFields: 10,
  maxTokens: 5000,
};

const WITHIN = { cost: 5000, depth: 12, aliases: 30, rootFields: 10, tokens: 5000 };

function refusal(measure: Partial<typeof WITHIN>, limits: CostLimits = LIMITS) {
  const error = checkLimits({ ...WITHIN, ...measure }, limits);
  if (!error) throw new Error('expected a refusal');
  return error;
}

describe('checkLimits', () => {
  it('passes a measure exactly at every limit, and checks no limit that is absent', () => {
    expect(checkLimits(WITHIN, LIMITS)).toBeUndefined();
    expect(checkLimits({ cost: 1e12, depth: 99, aliases: 99, rootFields: 99 }, {})).toBeUndefined();
  });

  it('refuses a cost over the limit with COST_LIMIT_EXCEEDED naming the cost and the limit', () => {
    const error = refusal({ cost: 5001 });
    expect(error).toBeInstanceOf(GraphQLError);
    expect(error.message).toBe('Operation cost 5001 exceeds the limit of 5000');
    expect(error.extensions).toEqual({
      code: 'COST_LIMIT_EXCEEDED',
      cost: 5001,
      limit: 5000,
      http: { status: 400 },
    });
  });

  it('refuses depth, aliases, root fields and tokens over their limits with their own codes', () => {
    expect(refusal({ depth: 13 }).extensions).toEqual({
      code: 'DEPTH_LIMIT_EXCEEDED',
      depth: 13,
      limit: 12,
      http: { status: 400 },
    });
    expect(refusal({ depth: 13 }).message).toBe('Operation depth 13 exceeds the limit of 12');

    expect(refusal({ aliases: 31 }).extensions).toEqual({
      code: 'ALIAS_LIMIT_EXCEEDED',
      aliases: 31,
      limit: 30,
      http: { status: 400 },
    });
    expect(refusal({ aliases: 31 }).message).toBe(
      'Operation uses 31 aliases, over the limit of 30',
    );

    expect(refusal({ rootFields: 11 }).extensions).toEqual({
      code: 'ROOT_FIELD_LIMIT_EXCEEDED',
      rootFields: 11,
      limit: 10,
      http: { status: 400 },
    });
    expect(refusal({ rootFields: 11 }).message).toBe(
      'Operation selects 11 root fields, over the limit of 10',
    );

    expect(refusal({ tokens: 5001 }).extensions).toEqual({
      code: 'TOKEN_LIMIT_EXCEEDED',
      limit: 5000,
      http: { status: 400 },
    });
    expect(refusal({ tokens: 5001 }).message).toBe(
      'Operation has more than 5000 tokens, the limit',
    );
  });

  it('reports shape before price when several limits are exceeded', () => {
    const all = { cost: 9999, depth: 99, aliases: 99, rootFields: 99, tokens: 9999 };
    expect(refusal(all).extensions.code).toBe('TOKEN_LIMIT_EXCEEDED');
    expect(refusal({ ...all, tokens: 1 }).extensions.code).toBe('DEPTH_LIMIT_EXCEEDED');
    expect(refusal({ ...all, tokens: 1, depth: 1 }).extensions.code).toBe('ALIAS_LIMIT_EXCEEDED');
    expect(refusal({ ...all, tokens: 1, depth: 1, aliases: 1 }).extensions.code).toBe(
      'ROOT_FIELD_LIMIT_EXCEEDED',
    );
  });
});

describe('token limit', () => {
  it('counts the lexical tokens the parser counts, comments aside', () => {
    expect(countTokens('{ a }')).toBe(3);
    expect(countTokens('# a comment\n{ a(first: 10) { b } }')).toBe(11);
    expect(countTokens('')).toBe(0);
  });

  it('stops counting (and lexing) after stopAfter tokens', () => {
    const huge = `{ ${'a '.repeat(100_000)}}`;
    expect(countTokens(huge, 11)).toBe(11);
    expect(countTokens('{ a }', 11)).toBe(3);
  });

  it("agrees with the parser's own count: a limit equal to the count parses, one less does not", () => {
    const source = '# comment\nquery Q($n: Int = 3) { a(first: $n) { ... on B { c } } }';
    const tokens = countTokens(source);
    expect(parseWithTokenLimit(source, tokens).kind).toBe(Kind.DOCUMENT);
    expect(() => parseWithTokenLimit(source, tokens - 1)).toThrow(
      `Operation has more than ${tokens - 1} tokens, the limit`,
    );
  });

  it('parses a document within the limit', () => {
    const document = parseWithTokenLimit('{ a { b } }', 6);
    expect(document.kind).toBe(Kind.DOCUMENT);
  });

  it('turns the parser token-limit syntax error into TOKEN_LIMIT_EXCEEDED with the limit', () => {
    const source = `{ ${Array.from({ length: 20 }, (_, i) => `f${i}`).join(' ')} }`;
    let caught: unknown;
    try {
      parseWithTokenLimit(source, 10);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GraphQLError);
    const error = caught as GraphQLError;
    expect(error.message).toBe('Operation has more than 10 tokens, the limit');
    expect(error.extensions).toEqual({
      code: 'TOKEN_LIMIT_EXCEEDED',
      limit: 10,
      http: { status: 400 },
    });
  });

  it('lets other syntax errors through unchanged', () => {
    let caught: unknown;
    try {
      parseWithTokenLimit('{ a ', 100);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(GraphQLError);
    expect((caught as GraphQLError).message).toMatch(/^Syntax Error: Expected Name/);
    expect(exceededTokenLimit(caught)).toBeUndefined();
  });
});
