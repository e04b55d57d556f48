import { useQuery } from '@tanstack/react-query';
import { usePlatformClient } from '../../session/SessionContext.js';

/** The caller with their role and organization memberships. */
export function useMe() {
  const client = usePlatformClient();
  return useQuery({ queryKey: ['me'], queryFn: () => client.users.me() });
}
