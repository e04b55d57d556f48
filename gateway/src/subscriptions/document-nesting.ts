import { Lexer, Source, TokenKind } from 'graphql';

/**
 * How deep graphql's parser will have to recurse for a document, found without recursing: the
 * deepest nesting of `{` and `[` (selection sets, input objects, lists) among its first
 * `maxTokens + 1` tokens, the most the token-limited parser reads before it gives up. The
 * parser recurses once per level (several frames each), so a document nested a few thousand
 * deep overflows the stack well within 5,000 tokens; this scan lets the caller refuse it first.
 * graphql's own Lexer reads the tokens, so strings, block strings and comments are skipped as the
 * parser skips them. The scan ends at the first level deeper than `stopAbove` (the answer is then
 * `stopAbove + 1`), or at a lexing error, which the parser reports.
 */
export function documentNesting(
  source: string,
  { maxTokens, stopAbove }: { maxTokens: number | undefined; stopAbove: number },
): number {
  const lexer = new Lexer(new Source(source));
  const limit = maxTokens ?? Number.POSITIVE_INFINITY;
  let depth = 0;
  let deepest = 0;
  try {
    for (let tokens = 0; tokens <= limit; tokens += 1) {
      const { kind } = lexer.advance();
      if (kind === TokenKind.EOF) break;
      if (kind === TokenKind.BRACE_L || kind === TokenKind.BRACKET_L) {
        depth += 1;
        if (depth > deepest) deepest = depth;
        if (deepest > stopAbove) break;
      } else if (kind === TokenKind.BRACE_R || kind === TokenKind.BRACKET_R) {
        depth -= 1;
      }
    }
  } catch {
    // A lexing error: parsing reports it.
  }
  return deepest;
}
