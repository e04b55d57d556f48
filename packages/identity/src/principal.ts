import { forbidden, unauthenticated } from '@platform/errors';

export type Scope = 'read' | 'write';
export type UserRole = 'USER' | 'ADMIN';

/** Who is calling, as established by the gateway. */
export type Principal =
  | { kind: 'anonymous' }
  | { kind: 'user'; userId: string; role: UserRole; scopes: Scope[] }
  | { kind: 'apiKey'; userId: string; role: UserRole; scopes: Scope[]; apiKeyId: string };

export type AuthenticatedPrincipal = Exclude<Principal, { kind: 'anonymous' }>;

export const ALL_SCOPES: Scope[] = ['read', 'write'];

export function requireAuthenticated(principal: Principal): AuthenticatedPrincipal {
  if (principal.kind === 'anonymous') throw unauthenticated();
  return principal;
}

/** An authenticated principal holding `scope`; API keys carry only the scopes they were made with. */
export function requireScope(principal: Principal, scope: Scope): AuthenticatedPrincipal {
  const caller = requireAuthenticated(principal);
  if (!caller.scopes.includes(scope)) {
    throw forbidden(`This credential lacks the '${scope}' scope`);
  }
  return caller;
}

export function isAdmin(principal: Principal): boolean {
  return principal.kind !== 'anonymous' && principal.role === 'ADMIN';
}

export function requireAdmin(principal: Principal): AuthenticatedPrincipal {
  const caller = requireAuthenticated(principal);
  if (caller.role !== 'ADMIN') throw forbidden('Administrators only');
  return caller;
}
