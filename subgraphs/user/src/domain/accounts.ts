import { randomBytes } from 'node:crypto';
import { badUserInput, ErrorCode, platformError, unauthenticated } from '@platform/errors';
import { issueAccessToken } from '@platform/identity';
import type { Repositories } from '../repositories/index.js';
import type { User } from '../repositories/users.js';
import { userSignedUp } from './events.js';
import {
  MAX_PASSWORD_LENGTH,
  MAX_NAME_LENGTH,
  requireEmail,
  requireNewPassword,
  requireText,
} from './input.js';
import { markOwnAccount } from './own-account.js';
import { hashPassword, verifyPassword } from './password.js';

export interface AuthPayload {
  token: string;
  expiresAt: Date;
  user: User;
}

export interface AccessTokenSettings {
  secret: string;
  ttlSeconds: number;
}

/** One message for an unknown email and a wrong password, so login does not reveal accounts. */
const INVALID_CREDENTIALS = 'Invalid email or password';

/** Sign-up and login. Both are public: they run for anonymous callers and need no scope. */
export function accountService(repositories: Repositories, tokens: AccessTokenSettings) {
  /** Verified against when no user has the email, so both cases take as long. */
  const unknownUserHash = hashPassword(randomBytes(32).toString('base64url'));

  async function authPayload(user: User): Promise<AuthPayload> {
    const { token, expiresAt } = await issueAccessToken(
      { userId: user.id, role: user.role },
      tokens.secret,
      tokens.ttlSeconds,
    );
    return { token, expiresAt, user: markOwnAccount(user) };
  }

  return {
    async signUp(args: { email: string; name: string; password: string }): Promise<AuthPayload> {
      const email = requireEmail(args.email);
      const name = requireText(args.name, 'name', MAX_NAME_LENGTH);
      const password = requireNewPassword(args.password);
      const passwordHash = await hashPassword(password);
      // The unique index on lower(email) decides; a pre-check would race with a concurrent sign-up.
      const user = await repositories.transaction(async (tx) => {
        const inserted = await tx.users.insert({ email, name, passwordHash });
        if (inserted) await tx.outbox.append(userSignedUp(inserted));
        return inserted;
      });
      if (!user) {
        throw platformError(ErrorCode.EmailTaken, 'An account with this email already exists', {
          argument: 'email',
        });
      }
      return authPayload(user);
    },

    async login(args: { email: string; password: string }): Promise<AuthPayload> {
      if (args.password.length > MAX_PASSWORD_LENGTH) {
        throw badUserInput(
          `password must be at most ${MAX_PASSWORD_LENGTH} characters`,
          'password',
        );
      }
      const credentials = await repositories.users.findCredentialsByEmail(args.email.trim());
      const passwordHash = credentials?.passwordHash ?? (await unknownUserHash);
      const valid = await verifyPassword(args.password, passwordHash);
      if (!credentials || !valid) throw unauthenticated(INVALID_CREDENTIALS);
      return authPayload(credentials.user);
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
