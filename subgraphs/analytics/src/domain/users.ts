import { forbidden } from '@platform/errors';
import { isAdmin, requireScope } from '@platform/identity';
import type { UserActivity } from '../loaders.js';
import type { TimeRange } from '../time-buckets.js';
import { DEFAULT_RANGE } from './projects.js';
import type { RequestScope } from './request-scope.js';

/** Per-user analytics. */
export function userService() {
  return {
    /** A user's own activity; administrators may read anyone's. */
    activity(
      { principal, loaders }: RequestScope,
      userId: string,
      range: TimeRange | null | undefined,
    ): Promise<UserActivity> {
      const caller = requireScope(principal, 'read');
      if (caller.userId !== userId && !isAdmin(caller)) {
        throw forbidden("Only administrators may read another user's activity");
      }
      return loaders.userActivity.load({ userId, range: range ?? DEFAULT_RANGE });
    },
  };
}

export type UserService = ReturnType<typeof userService>;
