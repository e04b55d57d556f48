import type { GraphQLError } from 'graphql';
import { ExponentialBackoff, decorrelatedJitterGenerator, handleWhen, retry } from 'cockatiel';
import { platformError } from '@platform/errors';
import { RATE_LIMITED } from '../rate-limit/index.js';
import { CONCURRENCY_LIMIT_EXCEEDED, SUBGRAPH_UNAVAILABLE } from '../resilience/index.js';

/** How a channel stream retries an entity it could not resolve right now (subscriptions config). */
export interface DeliveryRetrySettings {
  /** Attempts in all, the first included (SUBSCRIPTION_RETRY_ATTEMPTS). */
  attempts: number;
  /** The first backoff before jitter; later ones grow exponentially (SUBSCRIPTION_RETRY_BASE_MS). */
  baseDelayMs: number;
  /** No backoff is longer (SUBSCRIPTION_RETRY_MAX_MS). */
  maxDelayMs: number;
}

/**
 * Codes that say "not right now" rather than "this is the answer": a subgraph that could not be
 * reached, timed out or has its breaker open (SUBGRAPH_UNAVAILABLE), a fetch shed by a concurrency
 * limit, a rate limit, or a dependency the gateway itself could not reach (SERVICE_UNAVAILABLE).
 * FORBIDDEN, NOT_FOUND, validation errors and masked internal errors are answers: retrying them
 * would only stall the stream behind a message that never changes.
 */
const RETRYABLE_CODES: ReadonlySet<string> = new Set([
  SUBGRAPH_UNAVAILABLE,
  CONCURRENCY_LIMIT_EXCEEDED,
  RATE_LIMITED,
  'SERVICE_UNAVAILABLE',
]);

interface CodedError {
  extensions?: Readonly<Record<string, unknown>> | undefined;
}

/** Whether an error (thrown or in a result) says the same question may succeed shortly. */
export function isRetryableError(error: unknown): boolean {
  const code = (error as CodedError | null)?.extensions?.code;
  return typeof code === 'string' && RETRYABLE_CODES.has(code);
}

/** Whether a result is only part of its answer for now: some of its errors are retryable. */
export function isIncomplete(result: { errors?: readonly CodedError[] | undefined }): boolean {
  return result.errors?.some(isRetryableError) ?? false;
}

/** What a delivery retry reports (metrics). */
export interface DeliveryRetryObserver {
  /** An attempt failed and another one follows after a backoff. */
  onRetry?: () => void;
  /** The attempts are spent and the answer is still transient. */
  onGiveUp?: () => void;
}

/** Runs one resolution again while it throws or answers with a retryable error. */
export type DeliveryRetry = <T>(
  resolve: () => Promise<T>,
  isTransient: (result: T) => boolean,
  signal: AbortSignal,
) => Promise<T>;

/**
 * Bounded retries with exponential backoff and decorrelated jitter (cockatiel), so the streams a
 * subgraph outage stalled do not all try again at the same instant. When the attempts are spent it
 * returns the last result (still transient) or throws the last error; the caller decides what that
 * means. An aborted signal (the stream ended) stops before the next attempt.
 */
export function deliveryRetry(
  settings: DeliveryRetrySettings,
  observer: DeliveryRetryObserver = {},
): DeliveryRetry {
  // One policy for every stream of the process: the backoff state lives in each execution.
  const policy = retry(
    handleWhen((error) => error instanceof Incomplete || isRetryableError(error)),
    {
      maxAttempts: settings.attempts - 1,
      backoff: new ExponentialBackoff({
        generator: decorrelatedJitterGenerator,
        initialDelay: settings.baseDelayMs,
        maxDelay: Math.max(settings.baseDelayMs, settings.maxDelayMs),
      }),
    },
    // A stream ended during a backoff must not keep the process alive at shutdown.
  ).dangerouslyUnref();
  policy.onRetry(() => observer.onRetry?.());

  return async (resolve, isTransient, signal) => {
    try {
      return await policy.execute(async ({ signal: aborted }) => {
        if (aborted.aborted) throw new StreamEnded();
        const result = await resolve();
        if (isTransient(result)) throw new Incomplete(result);
        return result;
      }, signal);
    } catch (error) {
      const transient = error instanceof Incomplete || isRetryableError(error);
      if (transient && !signal.aborted) observer.onGiveUp?.();
      if (error instanceof Incomplete) return error.result as Awaited<ReturnType<typeof resolve>>;
      throw error;
    }
  };
}

/** A transient answer, thrown so the policy retries it; the last one is returned, not thrown. */
class Incomplete extends Error {
  constructor(readonly result: unknown) {
    super('incomplete answer');
  }
}

/** Thrown into an attempt that would start after its stream ended; nobody reads it. */
export class StreamEnded extends Error {
  override readonly name = 'StreamEnded';
}

/**
 * How a stream ends when an entity could not be resolved within its retries: the client resumes
 * with `since` set to the last cursor it received and gets it then, in order. `retryable` tells a
 * client (the SDK) to resume rather than give up; `cause` is the code that would not heal.
 */
export function resumeLater(cause: unknown): GraphQLError {
  const causeCode = (cause as CodedError | null)?.extensions?.code;
  return platformError(
    'SERVICE_UNAVAILABLE',
    'An update could not be resolved right now; resubscribe with since set to the last cursor you received',
    {
      retryable: true,
      ...(typeof causeCode === 'string' && { cause: causeCode }),
    },
  );
}
