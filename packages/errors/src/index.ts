import { GraphQLError } from 'graphql';

/**
 * The platform's error codes. Every error a client sees carries one in `extensions.code`;
 * errors that decide the HTTP status also carry `extensions.http.status`.
 */
export const ErrorCode = {
  BadRequest: 'BAD_REQUEST',
  BadUserInput: 'BAD_USER_INPUT',
  Unauthenticated: 'UNAUTHENTICATED',
  Forbidden: 'FORBIDDEN',
  NotFound: 'NOT_FOUND',
  EmailTaken: 'EMAIL_TAKEN',
  VersionConflict: 'VERSION_CONFLICT',
  LastOwner: 'LAST_OWNER',
  PayloadTooLarge: 'PAYLOAD_TOO_LARGE',
  RateLimited: 'RATE_LIMITED',
  CostLimitExceeded: 'COST_LIMIT_EXCEEDED',
  DepthLimitExceeded: 'DEPTH_LIMIT_EXCEEDED',
  AliasLimitExceeded: 'ALIAS_LIMIT_EXCEEDED',
  RootFieldLimitExceeded: 'ROOT_FIELD_LIMIT_EXCEEDED',
  TokenLimitExceeded: 'TOKEN_LIMIT_EXCEEDED',
  SubgraphUnavailable: 'SUBGRAPH_UNAVAILABLE',
  InternalServerError: 'INTERNAL_SERVER_ERROR',
} as const;

export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export function platformError(
  code: ErrorCode | (string & {}),
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const unauthenticated = (message = 'Authentication required') =>
  platformError(ErrorCode.Unauthenticated, message, { http: { status: 401 } });

export const forbidden = (message = 'Not allowed') =>
  platformError(ErrorCode.Forbidden, message, { http: { status: 403 } });

export const badUserInput = (message: string, argument?: string) =>
  platformError(ErrorCode.BadUserInput, message, argument ? { argument } : {});

export const notFound = (type: string, id: string) =>
  platformError(ErrorCode.NotFound, `${type} ${id} not found`, { type, id });

/** The JSON body of an HTTP error response sent before GraphQL execution (bad JSON, 401, 413). */
export function errorResponseBody(code: ErrorCode, message: string) {
  return { errors: [{ message, extensions: { code } }] };
}

export { nestsWithin } from './json-depth.js';
