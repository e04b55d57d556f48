import { createClient, type Client as WsClient } from 'graphql-ws';
import { documentText, operationInfo, type OperationInfo, type TypedDocument } from './document.js';
import {
  errorFromResponse,
  NetworkError,
  PlatformError,
  RateLimitedError,
  SubgraphUnavailableError,
  TimeoutError,
  UnauthenticatedError,
  type GraphQLErrorEntry,
} from './errors.js';
import { RefreshSessionDocument } from './generated/operations.js';

export const DEFAULT_URL = 'http://127.0.0.1:4000/graphql';
/** The gateway's API-key header (gateway/src/auth/authenticate.ts `API_KEY_HEADER`). */
export const API_KEY_HEADER = 'x-api-key';

/** A signed-in session: what signUp, login, refreshSession and changePassword answer. */
export interface Session {
  /** The access token (short-lived). */
  token: string;
  /** Renews the access token once; every refresh hands out the next one. */
  refreshToken: string;
  expiresAt?: string;
  refreshTokenExpiresAt?: string;
}

/** Refresh tokens the user subgraph refuses: the session is over, sign in again. */
const ENDED_SESSION_CODES = new Set(['INVALID_REFRESH_TOKEN', 'REFRESH_TOKEN_REUSED']);

export type Credentials =
  | { apiKey: string; token?: never; getToken?: never; session?: never }
  | { token: string; apiKey?: never; getToken?: never; session?: never }
  | { getToken: () => Promise<string>; apiKey?: never; token?: never; session?: never }
  | { session: Session | null; apiKey?: never; token?: never; getToken?: never }
  | { apiKey?: undefined; token?: undefined; getToken?: undefined; session?: undefined };

export interface RetryOptions {
  /** Attempts in all, the first included (default 4; 1 turns retries off). */
  maxAttempts?: number;
  /** Backoff base: attempt n waits a random time in [0, min(maxDelayMs, baseDelayMs * 2^n)). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** No retry starts (and no Retry-After is waited for) past this many ms after the first attempt. */
  deadlineMs?: number;
}

export type ConnectionState = 'connecting' | 'live' | 'retrying' | 'closed';

/** A minimal WebSocket constructor (the browser's, Node 22's global, or `ws`). */
export type WebSocketImpl = unknown;

export type ClientOptions = Credentials & {
  url?: string;
  /** WebSocket URL for subscriptions; defaults to `url` with http(s) replaced by ws(s). */
  wsUrl?: string;
  /** Automatic persisted queries (sha256 first, the full text only when unknown). Default true. */
  persistedQueries?: boolean;
  retry?: RetryOptions;
  /** Default per-call timeout in ms (retries included). */
  timeoutMs?: number;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  webSocketImpl?: WebSocketImpl;
  /**
   * Called whenever the client's session changes: after signUp, login, changePassword or a
   * refresh (the new tokens), and after signOut or a refused refresh (null). Store it to resume
   * the session later with `{ session }`.
   */
  onSessionChange?: (session: Session | null) => void;
};

export interface RequestOptions {
  signal?: AbortSignal;
  /** Gives up with TimeoutError after this many ms, retries included. */
  timeoutMs?: number;
  headers?: Record<string, string>;
  /** Send no credential (refreshSession and signOut: an expired access token must not stop them). */
  withoutCredentials?: boolean;
}

export interface GraphQLResponseBody<T> {
  data?: T | null;
  errors?: GraphQLErrorEntry[];
  extensions?: Record<string, unknown>;
}

const RETRYABLE_STATUS = new Set([502, 503, 504]);

/** Full jitter: a uniformly random wait in [0, min(max, base * 2^attempt)). */
export function backoffDelay(attempt: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.random() * Math.min(maxDelayMs, baseDelayMs * 2 ** attempt);
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const hashes = new Map<string, Promise<string>>();
async function sha256Hex(text: string): Promise<string> {
  let hash = hashes.get(text);
  if (!hash) {
    hash = crypto.subtle
      .digest('SHA-256', new TextEncoder().encode(text))
      .then((buffer) =>
        Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, '0')).join(''),
      );
    hashes.set(text, hash);
  }
  return hash;
}

class TimeoutReason extends Error {}

/** One attempt's failure, with what the retry policy needs to know. */
interface AttemptFailure {
  error: PlatformError;
  retryable: boolean;
  waitMs?: number;
}

export class Client {
  readonly url: string;
  readonly wsUrl: string;
  private readonly options: ClientOptions;
  private readonly fetchImpl: typeof fetch;
  private persistedQueries: boolean;
  private ws: WsClient | undefined;
  private currentSession: Session | null;
  private refreshing: Promise<boolean> | undefined;

  constructor(options: ClientOptions = {}, url?: string) {
    this.options = options;
    this.currentSession = options.session ?? null;
    this.url = url ?? options.url ?? DEFAULT_URL;
    this.wsUrl = options.wsUrl ?? this.url.replace(/^http/, 'ws');
    this.fetchImpl = options.fetch ?? globalThis.fetch.bind(globalThis);
    this.persistedQueries = options.persistedQueries ?? true;
  }

  /**
   * Whether the client keeps a session itself: it was given no apiKey, token or getToken. Then
   * signUp, login and changePassword adopt the session they answer, and an expired access token
   * is refreshed once and the request retried.
   */
  get managesSession(): boolean {
    const { apiKey, token, getToken } = this.options;
    return !apiKey && !token && !getToken;
  }

  /** The session the client sends (null when signed out or given another credential). */
  get session(): Session | null {
    return this.currentSession;
  }

  /** Replaces the session (null signs the client out locally) and tells `onSessionChange`. */
  setSession(session: Session | null): void {
    this.currentSession = session;
    this.options.onSessionChange?.(session);
  }

  private async bearerToken(): Promise<string | undefined> {
    const { token, getToken } = this.options;
    return token ?? (getToken ? await getToken() : this.currentSession?.token);
  }

  /** The HTTP headers carrying the credential. */
  async authHeaders(): Promise<Record<string, string>> {
    const { apiKey } = this.options;
    if (apiKey) return { [API_KEY_HEADER]: apiKey };
    const bearer = await this.bearerToken();
    return bearer ? { authorization: `Bearer ${bearer}` } : {};
  }

  /** graphql-ws connectionParams for the credential (gateway README, Subscriptions). */
  async connectionParams(): Promise<Record<string, string>> {
    const { apiKey } = this.options;
    if (apiKey) return { apiKey };
    const bearer = await this.bearerToken();
    return bearer ? { authorization: `Bearer ${bearer}` } : {};
  }

  /**
   * After the gateway refused `refusedToken` (the session's access token when a request or a
   * socket used it): true when the session now holds another token, renewed here or by a
   * concurrent request; false when the client keeps no session or the refresh failed.
   */
  async renewSession(refusedToken: string | undefined): Promise<boolean> {
    if (!this.managesSession || !refusedToken || !this.currentSession) return false;
    if (this.currentSession.token !== refusedToken) return true;
    return (await this.refreshSessionOnce()) && this.currentSession !== null;
  }

  /**
   * Renews the session with its refresh token; concurrent callers share one refresh (a refresh
   * token is used once: two refreshes with it would end the session as a reuse). True when the
   * session was renewed; a refused token ends it (null), a network failure keeps it.
   */
  refreshSessionOnce(): Promise<boolean> {
    this.refreshing ??= (async () => {
      const refreshToken = this.currentSession?.refreshToken;
      if (!refreshToken) return false;
      try {
        const { refreshSession } = await this.request(
          RefreshSessionDocument,
          { refreshToken },
          { withoutCredentials: true },
        );
        this.setSession(sessionOf(refreshSession));
        return true;
      } catch (error) {
        if (error instanceof PlatformError && ENDED_SESSION_CODES.has(error.code)) {
          this.setSession(null);
        }
        return false;
      }
    })().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  /**
   * Runs a query or mutation. Queries are retried on network failures, 502/503/504,
   * SUBGRAPH_UNAVAILABLE and RATE_LIMITED (after Retry-After); mutations are sent exactly once.
   * Resolves with `data`, or rejects with a PlatformError subclass.
   */
  async request<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    ...[variables, options]: VariablesArgs<TVariables>
  ): Promise<TResult> {
    const text = documentText(document as TypedDocument<unknown, unknown>);
    const info = operationInfo(text);
    if (info.kind === 'subscription') throw new TypeError('Use subscribe() for subscriptions');
    const retry = this.options.retry ?? {};
    const maxAttempts = info.kind === 'mutation' ? 1 : Math.max(1, retry.maxAttempts ?? 4);
    const baseDelayMs = retry.baseDelayMs ?? 100;
    const maxDelayMs = retry.maxDelayMs ?? 5_000;
    const deadline = Date.now() + (retry.deadlineMs ?? 30_000);
    const timeoutMs = options?.timeoutMs ?? this.options.timeoutMs;

    const signals: AbortSignal[] = [];
    if (options?.signal) signals.push(options.signal);
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (timeoutMs !== undefined) {
      const controller = new AbortController();
      timer = setTimeout(
        () => controller.abort(new TimeoutReason(`Timed out after ${timeoutMs} ms`)),
        timeoutMs,
      );
      (timer as { unref?: () => void }).unref?.();
      signals.push(controller.signal);
    }
    const signal = signals.length ? AbortSignal.any(signals) : undefined;
    try {
      return await this.withRetries<TResult>(text, info, variables, signal, options, {
        maxAttempts,
        baseDelayMs,
        maxDelayMs,
        deadline,
      });
    } finally {
      clearTimeout(timer);
    }
  }

  private async withRetries<TResult>(
    text: string,
    info: OperationInfo,
    variables: unknown,
    signal: AbortSignal | undefined,
    options: RequestOptions | undefined,
    policy: { maxAttempts: number; baseDelayMs: number; maxDelayMs: number; deadline: number },
  ): Promise<TResult> {
    const { maxAttempts, baseDelayMs, maxDelayMs, deadline } = policy;
    let refreshed = false;
    for (let attempt = 0; ; attempt++) {
      let failure: AttemptFailure;
      const sentToken =
        this.managesSession && !options?.withoutCredentials
          ? this.currentSession?.token
          : undefined;
      try {
        return (await this.attempt(text, info.name, variables ?? {}, signal, options)) as TResult;
      } catch (caught) {
        if (signal?.aborted) throw abortError(signal.reason, caught);
        if (!isAttemptFailure(caught)) throw caught;
        failure = caught;
      }
      // The gateway refused the session's access token (HTTP 401, before anything ran, so even a
      // mutation may be sent again): renew the session once and resend, outside the retry budget.
      if (!refreshed && sentToken && isRefusedCredential(failure.error)) {
        refreshed = true;
        if (await this.renewSession(sentToken)) {
          attempt--;
          continue;
        }
      }
      const last = attempt + 1 >= maxAttempts;
      const wait = failure.waitMs ?? backoffDelay(attempt, baseDelayMs, maxDelayMs);
      if (!failure.retryable || last || Date.now() + wait > deadline) throw failure.error;
      try {
        await sleep(wait, signal);
      } catch (reason) {
        throw abortError(reason, failure.error);
      }
    }
  }

  /** One HTTP exchange (two with APQ when the server does not know the hash yet). */
  private async attempt(
    query: string,
    operationName: string | undefined,
    variables: unknown,
    signal: AbortSignal | undefined,
    options: RequestOptions | undefined,
  ): Promise<unknown> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...this.options.headers,
      ...(options?.withoutCredentials ? {} : await this.authHeaders()),
      ...options?.headers,
    };
    const send = async (withQuery: boolean, hash?: string) => {
      const body: Record<string, unknown> = { variables };
      if (operationName) body.operationName = operationName;
      if (withQuery) body.query = query;
      if (hash) body.extensions = { persistedQuery: { version: 1, sha256Hash: hash } };
      return this.exchange(JSON.stringify(body), headers, signal);
    };

    let result: Exchange;
    if (this.persistedQueries) {
      const hash = await sha256Hex(query);
      result = await send(false, hash);
      const code = result.body?.errors?.[0]?.extensions?.code;
      if (code === 'PERSISTED_QUERY_NOT_SUPPORTED') this.persistedQueries = false;
      if (code === 'PERSISTED_QUERY_NOT_FOUND' || code === 'PERSISTED_QUERY_NOT_SUPPORTED') {
        result = await send(true, this.persistedQueries ? hash : undefined);
      }
    } else {
      result = await send(true);
    }
    return this.interpret(result);
  }

  private async exchange(
    body: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
  ): Promise<Exchange> {
    let response: Response;
    try {
      response = await this.fetchImpl(this.url, { method: 'POST', headers, body, signal });
    } catch (cause) {
      if (signal?.aborted) throw cause;
      throw failure(
        new NetworkError(`Request to ${this.url} failed: ${String(cause)}`, {
          code: 'NETWORK_ERROR',
          cause,
        }),
        true,
      );
    }
    const requestId = response.headers.get('x-request-id') ?? undefined;
    let parsed: GraphQLResponseBody<unknown> | undefined;
    const textBody = await response.text().catch((cause: unknown) => {
      if (signal?.aborted) throw cause;
      throw failure(
        new NetworkError(`Reading the response failed: ${String(cause)}`, {
          code: 'NETWORK_ERROR',
          cause,
          requestId,
          status: response.status,
        }),
        true,
      );
    });
    try {
      const json: unknown = JSON.parse(textBody);
      if (json && typeof json === 'object') parsed = json as GraphQLResponseBody<unknown>;
    } catch {
      parsed = undefined;
    }
    return { response, requestId, body: parsed };
  }

  private interpret({ response, requestId, body }: Exchange): unknown {
    const status = response.status;
    if (!body || (!body.errors?.length && !('data' in body))) {
      throw failure(
        new NetworkError(`Unexpected HTTP ${status} response without a GraphQL body`, {
          code: 'NETWORK_ERROR',
          requestId,
          status,
        }),
        RETRYABLE_STATUS.has(status) || status === 429,
      );
    }
    if (!body.errors?.length) return body.data;
    const retryAfterHeader = Number(response.headers.get('retry-after'));
    const retryAfterSeconds =
      Number.isFinite(retryAfterHeader) && response.headers.has('retry-after')
        ? retryAfterHeader
        : undefined;
    const error = errorFromResponse(body.errors, {
      requestId,
      status,
      data: body.data ?? undefined,
      retryAfterSeconds,
    });
    if (error instanceof RateLimitedError) {
      const seconds = error.retryAfterSeconds ?? 1;
      throw failure(error, true, seconds * 1000);
    }
    throw failure(error, error instanceof SubgraphUnavailableError || RETRYABLE_STATUS.has(status));
  }

  /**
   * Subscribes over graphql-ws (the well-kept reference client: protocol, keep-alive and
   * connection sharing are its job). Each `next` result's `data` is yielded; GraphQL errors end the
   * iteration with a PlatformError. For resumable notifications see `notifications.live()`.
   */
  subscribe<TResult, TVariables>(
    document: TypedDocument<TResult, TVariables>,
    ...[variables]: VariablesArgs<TVariables>
  ): AsyncIterableIterator<TResult> {
    const query = documentText(document as TypedDocument<unknown, unknown>);
    const iterator = this.webSocket().iterate<TResult>({
      query,
      variables: (variables ?? {}) as Record<string, unknown>,
    });
    const next = async (): Promise<IteratorResult<TResult>> => {
      let step: IteratorResult<{ data?: TResult | null; errors?: readonly unknown[] }>;
      try {
        step = (await iterator.next()) as typeof step;
      } catch (cause) {
        throw socketError(cause);
      }
      if (step.done) return { done: true, value: undefined };
      if (step.value.errors?.length) {
        await iterator.return?.();
        throw errorFromResponse(step.value.errors as GraphQLErrorEntry[], {
          data: step.value.data ?? undefined,
        });
      }
      return { done: false, value: step.value.data as TResult };
    };
    const self: AsyncIterableIterator<TResult> = {
      next,
      return: async () => {
        await iterator.return?.();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]: () => self,
    };
    return self;
  }

  /** The shared graphql-ws client of `subscribe()` (created on first use, lazy). */
  private webSocket(): WsClient {
    this.ws ??= this.createWebSocketClient({});
    return this.ws;
  }

  /** A new graphql-ws client with this client's URL, credential and WebSocket implementation. */
  createWebSocketClient(extra: Partial<Parameters<typeof createClient>[0]>): WsClient {
    return createClient({
      url: this.wsUrl,
      connectionParams: () => this.connectionParams(),
      ...(this.options.webSocketImpl ? { webSocketImpl: this.options.webSocketImpl } : {}),
      ...extra,
    });
  }

  /** Closes the shared subscription socket. */
  async close(): Promise<void> {
    await this.ws?.dispose();
    this.ws = undefined;
  }
}

/** `variables` is optional when the operation has no required variables. */
export type VariablesArgs<TVariables> =
  Record<string, never> extends TVariables
    ? [variables?: TVariables, options?: RequestOptions]
    : [variables: TVariables, options?: RequestOptions];

interface Exchange {
  response: Response;
  requestId: string | undefined;
  body: GraphQLResponseBody<unknown> | undefined;
}

/** The session's tokens from an AuthPayload. */
export function sessionOf(payload: Session): Session {
  const { token, refreshToken, expiresAt, refreshTokenExpiresAt } = payload;
  return { token, refreshToken, expiresAt, refreshTokenExpiresAt };
}

/** The gateway's refusal of a credential: 401 UNAUTHENTICATED before execution. */
function isRefusedCredential(error: PlatformError): boolean {
  return error instanceof UnauthenticatedError && error.status === 401;
}

const FAILURE = Symbol('attempt failure');
function failure(error: PlatformError, retryable: boolean, waitMs?: number) {
  return { [FAILURE]: true, error, retryable, waitMs } as AttemptFailure;
}
function isAttemptFailure(value: unknown): value is AttemptFailure {
  return typeof value === 'object' && value !== null && FAILURE in value;
}

function abortError(reason: unknown, cause: unknown): unknown {
  if (reason instanceof TimeoutReason)
    return new TimeoutError(reason.message, { code: 'TIMEOUT', cause });
  return reason;
}

/** A graphql-ws close event or error as a PlatformError. */
export function socketError(cause: unknown): PlatformError {
  if (cause instanceof PlatformError) return cause;
  const closeCode = (cause as { code?: unknown } | null)?.code;
  const reason = String((cause as { reason?: unknown } | null)?.reason ?? cause);
  if (closeCode === 4401)
    return errorFromResponse([{ message: reason, extensions: { code: 'UNAUTHENTICATED' } }], {});
  if (closeCode === 4403)
    return errorFromResponse([{ message: reason, extensions: { code: 'FORBIDDEN' } }], {});
  if (Array.isArray(cause)) return errorFromResponse(cause as GraphQLErrorEntry[], {});
  return new NetworkError(`Subscription socket failed: ${reason}`, {
    code: 'NETWORK_ERROR',
    cause,
  });
}
