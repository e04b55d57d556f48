/** Label values of operations whose own name cannot be the label. */
export const OPERATION_NAME = {
  /** A resolved operation without a name (`{ me { id } }`). */
  anonymous: '__anonymous',
  /** A named operation past the first MAX_OPERATION_NAMES names this process has seen. */
  other: '__other',
  /** No operation was resolved (a document that does not parse or validate), or none is known. */
  unknown: '__unknown',
} as const;

/**
 * How many distinct operation names one gateway process labels metrics with. Operation names are
 * chosen by clients: without a bound, a client sending a new name per request would grow the
 * metrics (and every Prometheus scraping them) without end. A platform's own clients use tens.
 */
export const MAX_OPERATION_NAMES = 100;

export type OperationOutcome = 'success' | 'rejected' | 'failed';

/** Codes that say the platform failed, not the caller (no code at all is an internal error too). */
const FAILED_CODES = new Set([
  'INTERNAL_SERVER_ERROR',
  'SUBGRAPH_UNAVAILABLE',
  'SERVICE_UNAVAILABLE',
  'DOWNSTREAM_SERVICE_ERROR',
]);

/**
 * An operation's outcome from the errors of its response: `success` without errors, `failed` when
 * any error is the platform's (a subgraph down, an internal error), else `rejected` (the caller's:
 * invalid, unauthenticated, forbidden, over a limit, rate limited, a domain refusal).
 */
export function operationOutcome(
  errors: ReadonlyArray<{ extensions?: Record<string, unknown> | undefined }> | undefined,
): OperationOutcome {
  if (!errors || errors.length === 0) return 'success';
  const failed = errors.some((error) => {
    const code = error.extensions?.code;
    return typeof code !== 'string' || FAILED_CODES.has(code);
  });
  return failed ? 'failed' : 'rejected';
}

export interface OperationNameLabels {
  /**
   * The label of a resolved (valid) operation's name: the name while fewer than `max` names have
   * been seen or it is one of them, `__other` past that, `__anonymous` without one.
   */
  admit(name: string | null | undefined): string;
  /** The label of a name only if a resolved operation has already admitted it, else `__unknown`. */
  known(name: string | undefined): string;
}

/**
 * Bounded operation-name labels. Only operations that validated against the schema take a place,
 * so garbage documents cannot use up the names; a client can still fill them with valid
 * operations of made-up names, and then the rest collapse into `__other`: bounded either way.
 */
export function operationNameLabels(max = MAX_OPERATION_NAMES): OperationNameLabels {
  const names = new Set<string>();
  return {
    admit(name) {
      if (!name) return OPERATION_NAME.anonymous;
      if (names.has(name)) return name;
      if (names.size >= max) return OPERATION_NAME.other;
      names.add(name);
      return name;
    },
    known: (name) => (name !== undefined && names.has(name) ? name : OPERATION_NAME.unknown),
  };
}
