import { randomUUID } from 'node:crypto';
import { ALL_SCOPES, type Principal, type Scope, type UserRole } from '@platform/identity';

/** The caller with no credential. */
export const anonymous: Principal = { kind: 'anonymous' };

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** A signed-in user (a fresh id unless given), with every scope and the USER role by default. */
export function userPrincipal(
  userId: string = randomUUID(),
  { role = 'USER', scopes = ALL_SCOPES }: { role?: UserRole; scopes?: Scope[] } = {},
): UserPrincipal {
  return { kind: 'user', userId, role, scopes: [...scopes] };
}

/** A platform administrator (a fresh id unless given). */
export const adminPrincipal = (userId: string = randomUUID()): UserPrincipal =>
  userPrincipal(userId, { role: 'ADMIN' });
