import type { Logger } from '@platform/logger';
import { createRedisConnection } from './connection.js';
import type { RedisTarget } from './settings.js';

/** Redis refused who the service is (ACL credentials) or TLS refused the server: a setting to fix. */
export class RedisAccessError extends Error {
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'RedisAccessError';
  }
}

/** What Redis answers to a wrong user or password, or to a user without the right to a command. */
const REFUSED_CREDENTIALS = /^(WRONGPASS|NOAUTH|NOPERM)\b/;

/** Node's codes for a server certificate it does not trust or that names another host. */
const UNTRUSTED_CERTIFICATE =
  /^(UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|SELF_SIGNED_CERT_IN_CHAIN|DEPTH_ZERO_SELF_SIGNED_CERT|CERT_HAS_EXPIRED|ERR_TLS_CERT_ALTNAME_INVALID)$/;

export type RedisAccess = 'ready' | 'unreachable';

/**
 * Connects once and sends PING, at start-up: resolves `ready`, or `unreachable` when Redis did
 * not answer (logged as a warning on `logger`; the caller goes on and degrades, as it does during
 * an outage, since Redis may come back); rejects with a RedisAccessError naming the variable to fix when Redis refused the
 * credentials or the server's certificate is not trusted, which no reconnect would cure. Without
 * this, ioredis reports a wrong password only as an `error` event on every reconnect attempt.
 */
export async function checkRedisAccess(
  target: RedisTarget,
  { timeoutMs = 5000, logger }: { timeoutMs?: number; logger?: Logger } = {},
): Promise<RedisAccess> {
  const probe = createRedisConnection(target, {
    connectionName: 'access-check',
    connectTimeout: Math.min(timeoutMs, 2000),
    disconnectTimeout: 200,
    lazyConnect: true,
    enableOfflineQueue: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  let refusal: Error | undefined;
  const noteRefusal = (error: Error & { code?: string; lastNodeError?: Error }) => {
    const cause = error.lastNodeError ?? error;
    const code = (cause as { code?: string }).code ?? '';
    if (REFUSED_CREDENTIALS.test(cause.message) || UNTRUSTED_CERTIFICATE.test(code)) {
      refusal ??= cause;
    }
  };
  probe.on('error', noteRefusal);
  probe.on('node error', noteRefusal);
  let timer: NodeJS.Timeout | undefined;
  try {
    const answered = await Promise.race([
      probe
        .connect()
        .then(() => probe.ping())
        .then(
          () => true,
          (error: Error) => {
            noteRefusal(error);
            return false;
          },
        ),
      new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs))),
    ]);
    if (refusal) throw accessError(target, refusal);
    if (!answered) {
      logger?.warn(
        { redis: `${target.host}:${target.port}` },
        'Redis does not answer; starting without it, reconnecting in the background',
      );
    }
    return answered ? 'ready' : 'unreachable';
  } finally {
    clearTimeout(timer);
    probe.disconnect();
  }
}

function accessError(target: RedisTarget, cause: Error): RedisAccessError {
  const where = `${target.host}:${target.port}`;
  if (REFUSED_CREDENTIALS.test(cause.message)) {
    const user = target.username ?? 'default';
    return new RedisAccessError(
      `Redis at ${where} refused user "${user}" of REDIS_URL: ${cause.message} ` +
        "(check the user and password in REDIS_URL, and the user's ACL rules)",
      { cause },
    );
  }
  return new RedisAccessError(
    `the TLS certificate of Redis at ${where} is not trusted: ${cause.message} ` +
      '(set REDIS_TLS_CA_FILE to the PEM of the CA that signed it, or fix the host in REDIS_URL)',
    { cause },
  );
}
