import { randomBytes } from 'node:crypto';
import {
  badUserInput,
  ErrorCode,
  forbidden,
  platformError,
  unauthenticated,
} from '@platform/errors';
import { requireScope } from '@platform/identity';
import type { Repositories } from '../repositories/index.js';
import { userRoleChanged, userSignedUp } from './events.js';
import {
  MAX_PASSWORD_LENGTH,
  MAX_NAME_LENGTH,
  requireEmail,
  requireNewPassword,
  requireText,
} from './input.js';
import { hashPassword, verifyPassword } from './password.js';
import type { RequestScope } from './request-scope.js';
import type { AuthPayload, SessionService } from './sessions.js';

export type { AuthPayload } from './sessions.js';

export interface AccountSettings {
  /** ADMIN_EMAILS, lower case: who becomes a platform ADMIN on signing up or logging in. */
  adminEmails: readonly string[];
}

/** One message for an unknown email and a wrong password, so login does not reveal accounts. */
const INVALID_CREDENTIALS = 'Invalid email or password';

function requirePasswordLength(password: string, argument: string): void {
  if (password.length > MAX_PASSWORD_LENGTH) {
    throw badUserInput(`${argument} must be at most ${MAX_PASSWORD_LENGTH} characters`, argument);
  }
}

/**
 * Sign-up, login and password changes. Sign-up and login are public: they run for anonymous
 * callers and need no scope. Each starts a session (sessions.ts).
 */
export function accountService(
  repositories: Repositories,
  sessions: SessionService,
  settings: AccountSettings,
) {
  /** Verified against when no user has the email, so both cases take as long. */
  const unknownUserHash = hashPassword(randomBytes(32).toString('base64url'));
  const isAdminEmail = (email: string) => settings.adminEmails.includes(email.toLowerCase());

  return {
    async signUp(args: { email: string; name: string; password: string }): Promise<AuthPayload> {
      const email = requireEmail(args.email);
      const name = requireText(args.name, 'name', MAX_NAME_LENGTH);
      const password = requireNewPassword(args.password);
      const passwordHash = await hashPassword(password);
      const role = isAdminEmail(email) ? 'ADMIN' : 'USER';
      // The unique index on lower(email) decides; a pre-check would race with a concurrent sign-up.
      const payload = await repositories.transaction(async (tx) => {
        const user = await tx.users.insert({ email, name, passwordHash, role });
        if (!user) return undefined;
        await tx.outbox.append(userSignedUp(user));
        if (role === 'ADMIN') await tx.outbox.append(userRoleChanged(user.id, user));
        return sessions.start(tx, user);
      });
      if (!payload) {
        throw platformError(ErrorCode.EmailTaken, 'An account with this email already exists', {
          argument: 'email',
        });
      }
      return payload;
    },

    /** A user listed in ADMIN_EMAILS who is not (or no longer) ADMIN becomes one here. */
    async login(args: { email: string; password: string }): Promise<AuthPayload> {
      requirePasswordLength(args.password, 'password');
      const credentials = await repositories.users.findCredentialsByEmail(args.email.trim());
      const passwordHash = credentials?.passwordHash ?? (await unknownUserHash);
      const valid = await verifyPassword(args.password, passwordHash);
      if (!credentials || !valid) throw unauthenticated(INVALID_CREDENTIALS);
      return repositories.transaction(async (tx) => {
        let user = credentials.user;
        if (user.role !== 'ADMIN' && isAdminEmail(user.email)) {
          user = (await tx.users.setRole(user.id, 'ADMIN')) ?? user;
          await tx.outbox.append(userRoleChanged(user.id, user));
        }
        return sessions.start(tx, user);
      });
    },

    /**
     * Sets a new password when `currentPassword` is the account's, ends every session of the user
     * (a thief holding a refresh token is out) and starts a new one for the caller. A signed-in
     * user only: an API key cannot change its owner's password.
     */
    async changePassword(
      scope: RequestScope,
      args: { currentPassword: string; newPassword: string },
    ): Promise<AuthPayload> {
      const caller = requireScope(scope.principal, 'write');
      if (caller.kind !== 'user') {
        throw forbidden('Only a signed-in user can change their password, not an API key');
      }
      requirePasswordLength(args.currentPassword, 'currentPassword');
      const newPassword = requireNewPassword(args.newPassword, 'newPassword');
      const credentials = await repositories.users.findCredentialsById(caller.userId);
      if (!credentials) throw unauthenticated();
      if (!(await verifyPassword(args.currentPassword, credentials.passwordHash))) {
        throw platformError(
          ErrorCode.WrongPassword,
          'currentPassword is not the password of the account',
          {
            argument: 'currentPassword',
          },
        );
      }
      const passwordHash = await hashPassword(newPassword);
      return repositories.transaction(async (tx) => {
        await tx.users.setPasswordHash(caller.userId, passwordHash);
        await tx.sessions.revokeAllOf(caller.userId, 'PASSWORD_CHANGED');
        return sessions.start(tx, credentials.user);
      });
    },
  };
}

export type AccountService = ReturnType<typeof accountService>;
