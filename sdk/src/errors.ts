/** One entry of a GraphQL response's `errors`. */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: Record<string, unknown>;
}

export interface PlatformErrorDetails {
  code: string;
  errors?: readonly GraphQLErrorEntry[];
  requestId?: string;
  status?: number;
  data?: unknown;
  cause?: unknown;
}

/**
 * Every failure the SDK reports: `code` is the first error's `extensions.code` (or the SDK's own
 * NETWORK_ERROR / TIMEOUT), `requestId` the gateway's `x-request-id` response header (quote it when
 * reporting a problem), `errors` the raw GraphQL errors, `data` whatever partial data came with them.
 */
export class PlatformError extends Error {
  readonly code: string;
  readonly path: ReadonlyArray<string | number> | undefined;
  readonly requestId: string | undefined;
  readonly status: number | undefined;
  readonly errors: readonly GraphQLErrorEntry[];
  readonly data: unknown;

  constructor(message: string, details: PlatformErrorDetails) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = new.target.name;
    this.code = details.code;
    this.errors = details.errors ?? [];
    this.path = this.errors[0]?.path;
    this.requestId = details.requestId;
    this.status = details.status;
    this.data = details.data;
  }

  /** The first error's `extensions`. */
  get extensions(): Record<string, unknown> {
    return this.errors[0]?.extensions ?? {};
  }
}

export class UnauthenticatedError extends PlatformError {}
export class ForbiddenError extends PlatformError {}
export class NotFoundError extends PlatformError {}

/** BAD_USER_INPUT; `argument` names the offending argument when the server says which. */
export class ValidationError extends PlatformError {
  get argument(): string | undefined {
    const argument = this.extensions.argument;
    return typeof argument === 'string' ? argument : undefined;
  }
}

/** VERSION_CONFLICT: re-read the document at `currentVersion` and retry the update. */
export class VersionConflictError extends PlatformError {
  get currentVersion(): number | undefined {
    const version = this.extensions.currentVersion;
    return typeof version === 'number' ? version : undefined;
  }
}

/** RATE_LIMITED (HTTP 429). */
export class RateLimitedError extends PlatformError {
  readonly retryAfterSeconds: number | undefined;
  constructor(message: string, details: PlatformErrorDetails & { retryAfterSeconds?: number }) {
    super(message, details);
    const fromBody = this.extensions.retryAfterSeconds;
    this.retryAfterSeconds =
      details.retryAfterSeconds ?? (typeof fromBody === 'number' ? fromBody : undefined);
  }
}

/** COST_LIMIT_EXCEEDED: the operation's static `cost` is over the gateway's `limit`. */
export class CostLimitExceededError extends PlatformError {
  get cost(): number | undefined {
    const cost = this.extensions.cost;
    return typeof cost === 'number' ? cost : undefined;
  }
  get limit(): number | undefined {
    const limit = this.extensions.limit;
    return typeof limit === 'number' ? limit : undefined;
  }
}

/** SUBGRAPH_UNAVAILABLE: a service behind the gateway failed; `data` holds what the others answered. */
export class SubgraphUnavailableError extends PlatformError {
  get subgraph(): string | undefined {
    const subgraph = this.extensions.subgraph;
    return typeof subgraph === 'string' ? subgraph : undefined;
  }
}

/** The request never got an answer (connection refused or reset, DNS, a non-GraphQL reply). */
export class NetworkError extends PlatformError {}

/** `timeoutMs` (or the retry deadline) ran out before an answer. */
export class TimeoutError extends PlatformError {}

const byCode: Record<string, typeof PlatformError> = {
  UNAUTHENTICATED: UnauthenticatedError,
  FORBIDDEN: ForbiddenError,
  NOT_FOUND: NotFoundError,
  BAD_USER_INPUT: ValidationError,
  VERSION_CONFLICT: VersionConflictError,
  RATE_LIMITED: RateLimitedError,
  COST_LIMIT_EXCEEDED: CostLimitExceededError,
  SUBGRAPH_UNAVAILABLE: SubgraphUnavailableError,
};

/** The error class for a GraphQL response's errors, by the first error's `extensions.code`. */
export function errorFromResponse(
  errors: readonly GraphQLErrorEntry[],
  details: Omit<PlatformErrorDetails, 'code' | 'errors'> & { retryAfterSeconds?: number },
): PlatformError {
  // A partial failure names SUBGRAPH_UNAVAILABLE at some field; it decides the class even when
  // another error comes first, so callers can read the partial `data`.
  const unavailable = errors.find((error) => error.extensions?.code === 'SUBGRAPH_UNAVAILABLE');
  const first = unavailable ?? errors[0];
  const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'UNKNOWN';
  const ordered = unavailable ? [unavailable, ...errors.filter((e) => e !== unavailable)] : errors;
  const ErrorClass = byCode[code] ?? PlatformError;
  return new ErrorClass(first?.message ?? 'GraphQL request failed', {
    ...details,
    code,
    errors: ordered,
  });
}
