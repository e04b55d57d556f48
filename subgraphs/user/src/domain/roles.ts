import { ErrorCode, notFound, platformError } from '@platform/errors';
import { requireAdmin, requireScope, type UserRole } from '@platform/identity';
import type { Repositories } from '../repositories/index.js';
import type { User } from '../repositories/users.js';
import { userRoleChanged } from './events.js';
import { requireUuid } from './input.js';
import type { RequestScope } from './request-scope.js';

/**
 * Platform roles, set by administrators (ADMIN_EMAILS bootstraps the first; accounts.ts). A new
 * role reaches the user's access tokens at their next refresh or sign-in: tokens already issued
 * keep theirs until they expire (JWT_TTL_SECONDS), since the gateway does not look them up.
 */
export function roleService(repositories: Repositories) {
  return {
    async setRole(scope: RequestScope, args: { userId: string; role: UserRole }): Promise<User> {
      const caller = requireAdmin(requireScope(scope.principal, 'write'));
      const userId = requireUuid(args.userId, 'userId');
      const user = await repositories.transaction(async (tx) => {
        // Under the lock, two admins demoting each other cannot both see the other one left.
        await tx.users.lockRoles();
        const [current] = await tx.users.findByIds([userId]);
        if (!current) throw notFound('User', userId);
        if (current.role === args.role) return current;
        // Demoting the only administrator would leave no one to manage the platform.
        if (current.role === 'ADMIN' && (await tx.users.countAdmins()) <= 1) {
          throw platformError(
            ErrorCode.LastAdmin,
            `${userId} is the only administrator; promote another first`,
            {
              argument: 'userId',
            },
          );
        }
        const updated = (await tx.users.setRole(userId, args.role))!;
        await tx.outbox.append(userRoleChanged(caller.userId, updated));
        return updated;
      });
      scope.loaders.user.clear(user.id).prime(user.id, user);
      return user;
    },
  };
}

export type RoleService = ReturnType<typeof roleService>;
