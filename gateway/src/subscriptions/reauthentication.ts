import type { AuthenticatedPrincipal } from '@platform/identity';
import type { Logger } from '@platform/logger';
import type { Authenticate } from '../auth/authenticate.js';
import { SocketClose } from './close-codes.js';
import {
  checkConnectionCredential,
  credentialFieldsOfConnectionParams,
  isUnavailable,
} from './connection-auth.js';

export interface CredentialWatchOptions {
  socket: { close(code: number, reason: string): void };
  authenticate: Authenticate;
  /** The connectionParams the socket was authenticated with. */
  params: Readonly<Record<string, unknown>> | undefined;
  principal: AuthenticatedPrincipal;
  /** SUBSCRIPTION_REAUTH_SECONDS, in ms: how often an API key is checked again. */
  everyMs: number;
  logger: Logger;
}

/** Stops watching (the socket closed). */
export type StopWatching = () => void;

/** setTimeout's longest delay; a longer one would fire at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Keeps an open socket's credential honest, so it does not outlive it:
 * - an access token (JWT) is valid until its `exp` and nothing else changes that, so the socket
 *   is closed 4401 by a timer at `exp`, without polling;
 * - an API key can be revoked or lose its scope at any time, so it is checked again every
 *   `everyMs` through the same `authenticate` (and its verdict cache, API_KEY_CACHE_SECONDS): a
 *   key that is no longer valid closes the socket 4401, one without `read` 4403. A revoked key's
 *   socket therefore closes within SUBSCRIPTION_REAUTH_SECONDS + API_KEY_CACHE_SECONDS.
 * When the key cannot be checked right now (the user subgraph is down: SERVICE_UNAVAILABLE) the
 * socket stays open and the next check tries again; that is logged once per outage, not per check.
 */
export function watchCredential(options: CredentialWatchOptions): StopWatching {
  return options.principal.kind === 'user' ? closeAtExpiry(options) : recheckKey(options);
}

function closeAtExpiry({ socket, params, logger }: CredentialWatchOptions): StopWatching {
  const expiresAt = accessTokenExpiry(params);
  if (expiresAt === undefined) return () => {};
  let timer: NodeJS.Timeout;
  const arm = () => {
    const left = expiresAt - Date.now();
    if (left <= 0) {
      logger.info('closing a subscription socket: its access token expired');
      socket.close(SocketClose.Unauthorized.code, SocketClose.Unauthorized.reason);
      return;
    }
    timer = setTimeout(arm, Math.min(left, MAX_TIMER_MS));
    timer.unref();
  };
  arm();
  return () => clearTimeout(timer);
}

function recheckKey(options: CredentialWatchOptions): StopWatching {
  const { socket, authenticate, params, everyMs, logger } = options;
  let checking = false;
  let stopped = false;
  let failing = false;
  const check = async () => {
    if (checking || stopped) return;
    checking = true;
    try {
      const requestId = logger.bindings().requestId as string;
      const verdict = await checkConnectionCredential(authenticate, params, requestId);
      if (stopped) return;
      if ('failed' in verdict) {
        if (!failing) {
          failing = true;
          const message = 'the API key of a subscription socket cannot be checked; keeping it open';
          if (isUnavailable(verdict.failed)) logger.warn({ err: verdict.failed }, message);
          else logger.error({ err: verdict.failed }, message);
        }
        return;
      }
      if (failing) {
        failing = false;
        logger.info('the API key of a subscription socket can be checked again');
      }
      if ('refuse' in verdict) {
        logger.info(
          { code: verdict.refuse.code },
          'closing a subscription socket: its API key is no longer valid',
        );
        socket.close(verdict.refuse.code, verdict.refuse.reason);
        stop();
      }
    } finally {
      checking = false;
    }
  };
  const interval = setInterval(() => void check(), everyMs);
  interval.unref();
  const stop = () => {
    stopped = true;
    clearInterval(interval);
  };
  return stop;
}

/**
 * The `exp` of the access token in `authorization: Bearer <jwt>`, in ms. The token was verified
 * when the socket connected, so this only reads a claim of it: its payload is base64url JSON
 * (jose, which verified it, is the identity package's dependency, not the gateway's).
 */
export function accessTokenExpiry(
  params: Readonly<Record<string, unknown>> | undefined,
): number | undefined {
  const { authorization } = credentialFieldsOfConnectionParams(params);
  if (typeof authorization !== 'string') return undefined;
  const payload = /^\s*bearer +[^.\s]+\.([^.\s]+)\.[^.\s]+\s*$/i.exec(authorization)?.[1];
  if (!payload) return undefined;
  try {
    const { exp } = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
      exp?: unknown;
    };
    return typeof exp === 'number' ? exp * 1000 : undefined;
  } catch {
    return undefined;
  }
}
