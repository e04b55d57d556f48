import { useEffect } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { usePlatformClient } from '../session/SessionContext.js';

/**
 * While a project is open, its documents live (`client.data.documentChanged`, the gateway's
 * generic live fields): each created or updated document replaces its cached copy, so an open
 * editor shows someone else's save at once (an untouched form takes it, an edited one says so),
 * and the list refreshes. The SDK resumes after a dropped socket from the last change cursor.
 */
export function useLiveDocuments(projectId: string): void {
  const client = usePlatformClient();
  const queryClient = useQueryClient();
  useEffect(() => {
    if (!projectId) return;
    const live = client.data.documentChanged(projectId);
    void (async () => {
      try {
        for await (const change of live) {
          queryClient.setQueryData(['document', change.id], change);
          void queryClient.invalidateQueries({ queryKey: ['documents', projectId] });
        }
      } catch {
        // Refused (not a member, signed out): the project screen shows that by its own queries.
      }
    })();
    return () => void live.close();
  }, [client, queryClient, projectId]);
}
