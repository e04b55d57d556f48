import { decodeCursor, pageSize, toConnection, type Connection } from '@platform/pagination';
import { badUserInput } from '@platform/errors';
import {
  requireAdmin,
  requireAuthenticated,
  requireScope,
  type UserRole,
} from '@platform/identity';
import { isKeysetPosition, type Positioned } from '../repositories/keyset.js';
import type { User, UserRepository } from '../repositories/users.js';
import { mayReadEmail, type UserWithProjectPeers } from './email-visibility.js';
import type { RequestScope } from './request-scope.js';

/**
 * Reading users. Any authenticated principal may read any user's name, role and creation date;
 * the e-mail only where email-visibility.ts says so.
 */
const MAX_SEARCH_LENGTH = 200;

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

    /**
     * Every user, oldest first (administrators only); `search` narrows to a case-insensitive
     * substring of the name or email, `role` to one platform role.
     */
    async list(
      { principal, loaders }: RequestScope,
      args: {
        first?: number | null;
        after?: string | null;
        search?: string | null;
        role?: UserRole | null;
      },
    ): Promise<Connection<Positioned<User>>> {
      requireAdmin(requireScope(principal, 'read'));
      const size = pageSize(args.first);
      const after = decodeCursor(args.after, isKeysetPosition);
      const search = args.search?.trim();
      if (search && search.length > MAX_SEARCH_LENGTH) {
        throw badUserInput(`search must be at most ${MAX_SEARCH_LENGTH} characters`, 'search');
      }
      const rows = await users.listPage(after, size + 1, {
        search: search || undefined,
        role: args.role ?? undefined,
      });
      for (const user of rows) loaders.user.prime(user.id, user);
      return toConnection(rows, size, (user) => user.position);
    },

    /**
     * User.email: null unless the caller may read it (email-visibility.ts). Personal data, so it
     * needs the `read` scope on every path, an entity reference from another subgraph's mutation
     * result included (FORBIDDEN, the field null). The one exception: the account signUp or login
     * just authenticated, in their own answer.
     */
    async email(scope: RequestScope, user: UserWithProjectPeers): Promise<string | null> {
      return (await mayReadEmail(scope, user)) ? user.email : null;
    },

    /**
     * A federation reference from another subgraph, or from this one for `email`, with what the
     * data subgraph said of shared projects. Only authenticated: a write-only key's mutation may
     * name users (`members { id }`); the fields that read personal data check `read`.
     */
    async reference(
      { principal, loaders }: RequestScope,
      reference: { id: string; sharesProjectWithViewer?: boolean | null },
    ): Promise<UserWithProjectPeers | null> {
      requireAuthenticated(principal);
      const user = await loaders.user.load(reference.id);
      if (!user || typeof reference.sharesProjectWithViewer !== 'boolean') return user;
      // A copy: the loader's record is shared by the request's other fields.
      return { ...user, sharesProjectWithViewer: reference.sharesProjectWithViewer };
    },
  };
}

export type UserService = ReturnType<typeof userService>;
