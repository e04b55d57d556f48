import type { ApolloServerPlugin, GraphQLResponse } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';

/**
 * The fewest tokens a request is charged: an operation priced 0 (`{ __typename }`) and a request
 * refused before it could be priced (it did not parse, or failed validation) still cost the
 * gateway work, so none is free.
 */
export const MIN_CHARGE = 1;

/**
 * A refused document costs one token per this many characters of it (at least MIN_CHARGE): what
 * the gateway spent on it grows with its size (reading, JSON-parsing and hashing the body happen
 * before the lexer can stop at the token limit). The abuse soak measured it: anonymous 1 MB
 * documents at one token each, 65 a second until the bucket was empty and then refused only
 * after being read, tripled everyone's p99; at 16 KiB a token the anonymous tier pays for three
 * in a burst and one every three seconds, while a mistyped query of a few kilobytes costs 1.
 */
export const REFUSED_CHARACTERS_PER_TOKEN = 16 * 1024;

/** What a request refused before pricing is charged: by the size of its document. */
export const refusalCharge = (query: string | undefined): number =>
  refusalChargeForSize(query?.length ?? 0);

/** The same charge for a request refused on its size alone (a body of `size` characters). */
export const refusalChargeForSize = (size: number): number =>
  Math.max(MIN_CHARGE, Math.ceil(size / REFUSED_CHARACTERS_PER_TOKEN));

/** What charging a refused request gave: headers for its response, and a refusal of the charge. */
export interface RefusalChargeOutcome {
  headers: Record<string, string>;
  /** Set when the caller's budget could not pay: the response becomes this error (429). */
  refusal?: GraphQLError;
}

export interface RefusalChargeOptions<TContext> {
  /** Charges `tokens` to the caller of `contextValue`; undefined: this caller is not charged. */
  charge: (contextValue: TContext, tokens: number) => Promise<RefusalChargeOutcome | undefined>;
}

/**
 * Charges every request refused before it was priced (`refusalCharge`: a token per 16 KiB of
 * its document, at least MIN_CHARGE): a syntax error
 * (the token limit, TOKEN_LIMIT_EXCEEDED, included) or a validation error. The parsing and
 * validation end hooks see those failures, but Apollo Server does not await them, so they start
 * the charge and willSendResponse (awaited before the answer) waits for it: the response then
 * carries the RateLimit-* headers, and a caller whose budget is spent gets 429 RATE_LIMITED
 * instead of the syntax or validation error. Priced operations are charged by the rate limiter's
 * own plugin, so no request is charged twice.
 */
export function chargeRefusedRequests<TContext extends object>({
  charge,
}: RefusalChargeOptions<TContext>): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      let charging: Promise<RefusalChargeOutcome | undefined> | undefined;
      return {
        async parsingDidStart({ contextValue, request }) {
          return async (error) => {
            if (error) charging = charge(contextValue, refusalCharge(request.query));
          };
        },
        async validationDidStart({ contextValue, request }) {
          return async (errors) => {
            if (errors && errors.length > 0) {
              charging = charge(contextValue, refusalCharge(request.query));
            }
          };
        },
        async willSendResponse({ response }) {
          const charged = await charging;
          if (!charged) return;
          for (const [name, value] of Object.entries(charged.headers)) {
            response.http.headers.set(name, value);
          }
          if (charged.refusal) refuse(response, charged.refusal);
        },
      };
    },
  };
}

/** The response becomes the charge's refusal, with its status and headers (`extensions.http`). */
function refuse(response: GraphQLResponse, error: GraphQLError): void {
  if (response.body.kind !== 'single') return;
  const { http, ...extensions } = error.extensions as {
    http?: { status?: number; headers?: Map<string, string> };
  };
  if (http?.status) response.http.status = http.status;
  for (const [name, value] of http?.headers ?? []) response.http.headers.set(name, value);
  const formatted: GraphQLFormattedError = { message: error.message, extensions };
  response.body.singleResult = { errors: [formatted] };
}
