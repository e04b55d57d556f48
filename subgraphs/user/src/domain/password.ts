import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * Password hashes: scrypt with a random salt per password. The encoding carries its parameters
 * (`scrypt$N$r$p$salt$hash`), so they can be raised later without invalidating stored hashes.
 */
const COST = { N: 2 ** 15, r: 8, p: 1 };
const KEY_LENGTH = 64;
const SALT_LENGTH = 16;
/** Bounds on parameters read back from a stored hash, so a corrupt row cannot exhaust memory. */
const MAX_COST = { N: 2 ** 20, r: 32, p: 16 };

function derive(password: string, salt: Buffer, cost: typeof COST): Promise<Buffer> {
  const options: ScryptOptions = { ...cost, maxmem: 256 * cost.N * cost.r };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, COST);
  const { N, r, p } = COST;
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Constant-time comparison; a malformed stored hash never matches. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [algorithm, N, r, p, salt, hash, ...rest] = encoded.split('$');
  const cost = { N: Number(N), r: Number(r), p: Number(p) };
  if (algorithm !== 'scrypt' || rest.length > 0 || !salt || !hash || !withinBounds(cost)) {
    return false;
  }
  const expected = Buffer.from(hash, 'base64url');
  if (expected.length !== KEY_LENGTH) return false;
  const actual = await derive(password, Buffer.from(salt, 'base64url'), cost);
  return timingSafeEqual(actual, expected);
}

function withinBounds(cost: typeof COST): boolean {
  return (
    Number.isInteger(cost.N) &&
    cost.N > 1 &&
    (cost.N & (cost.N - 1)) === 0 &&
    cost.N <= MAX_COST.N &&
    Number.isInteger(cost.r) &&
    cost.r >= 1 &&
    cost.r <= MAX_COST.r &&
    Number.isInteger(cost.p) &&
    cost.p >= 1 &&
    cost.p <= MAX_COST.p
  );
}
