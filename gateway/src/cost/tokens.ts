import {
  GraphQLError,
  Lexer,
  parse,
  Source,
  TokenKind,
  type DocumentNode,
  type ParseOptions,
} from 'graphql';
import { tokenLimitExceeded } from './limits.js';

/**
 * graphql's parser aborts with "Syntax Error: Document contains more than N tokens. Parsing
 * aborted." (16.x spells it "more that"); this recognises it and reads N.
 */
const TOKEN_LIMIT_MESSAGE = /^Syntax Error: Document contains more tha[nt] (\d+) tokens\./;

/**
 * The lexical tokens the parser counts (comments aside), up to the first lexing error, and at
 * most `stopAfter`: lexing stops there, so a caller that only needs to know whether a limit is
 * exceeded passes `limit + 1` and never reads a huge document to its end.
 */
export function countTokens(source: string, stopAfter = Infinity): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (count < stopAfter && lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A lexing error ends the count; parsing reports the error itself.
  }
  return count;
}

/** The limit a graphql parse error says was exceeded, when it is the token-limit error. */
export function exceededTokenLimit(error: unknown): number | undefined {
  if (!(error instanceof GraphQLError)) return undefined;
  const match = TOKEN_LIMIT_MESSAGE.exec(error.message);
  return match ? Number(match[1]) : undefined;
}

/**
 * `parse` with graphql's token limit (`maxLexicalTokens`, the current name of `maxTokens`: the
 * parser stops at the limit), its syntax error turned into TOKEN_LIMIT_EXCEEDED.
 */
export function parseWithTokenLimit(
  source: string,
  maxTokens: number,
  options: ParseOptions = {},
): DocumentNode {
  try {
    return parse(source, { ...options, maxLexicalTokens: maxTokens });
  } catch (error) {
    const limit = exceededTokenLimit(error);
    if (limit === undefined) throw error;
    throw tokenLimitExceeded(limit);
  }
}
