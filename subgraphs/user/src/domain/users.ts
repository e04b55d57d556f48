import { decodeCursor, pageSize, toConnection, type Connection } from '@platform/pagination';
import { requireAdmin, requireAuthenticated, requireScope } from '@platform/identity';
import { isKeysetPosition, type Positioned } from '../repositories/keyset.js';
import type { User, UserRepository } from '../repositories/users.js';
import { isOwnAccount } from './own-account.js';
import type { RequestScope } from './request-scope.js';

/**
 * Reading users. Any authenticated principal may read any user's fields, email included: whether
 * other users' emails should be hidden (say, outside shared organizations) is a product question,
 * so this stays simple until it is decided.
 */
export function userService(users: UserRepository) {
  return {
    me({ principal, loaders }: RequestScope): Promise<User | null> {
      const caller = requireScope(principal, 'read');
      return loaders.user.load(caller.userId);
    },

    /** `null` for an unknown id, including one that is not a uuid. */
    user({ principal, loaders }: RequestScope, id: string): Promise<User | null> {
      requireScope(principal, 'read');
      return loaders.user.load(id);
    },

    /** Every user, oldest first (administrators only). */
    async list(
      { principal, loaders }: RequestScope,
      args: { first?: number | null; after?: string | null },
    ): Promise<Connection<Positioned<User>>> {
      requireAdmin(requireScope(principal, 'read'));
      const size = pageSize(args.first);
      const after = decodeCursor(args.after, isKeysetPosition);
      const rows = await users.listPage(after, size + 1);
      for (const user of rows) loaders.user.prime(user.id, user);
      return toConnection(rows, size, (user) => user.position);
    },

    /**
     * User.email: personal data, so it needs the `read` scope on every path, an entity reference
     * from another subgraph's mutation result included (FORBIDDEN, the field null). The one
     * exception: the account signUp or login just authenticated, in their own answer.
     */
    email({ principal }: RequestScope, user: User): string {
      if (!isOwnAccount(user)) requireScope(principal, 'read');
      return user.email;
    },

    /**
     * A federation reference from another subgraph. Only authenticated: a write-only key's
     * mutation may name users (`members { id }`); the fields that read personal data check `read`.
     */
    reference({ principal, loaders }: RequestScope, id: string): Promise<User | null> {
      requireAuthenticated(principal);
      return loaders.user.load(id);
    },
  };
}

export type UserService = ReturnType<typeof userService>;
