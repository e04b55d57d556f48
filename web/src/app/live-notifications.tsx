import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import type { ConnectionState, Notification } from '@acme/sdk';
import { useSession } from '../session/SessionContext.js';

interface LiveValue {
  state: ConnectionState | 'off';
  /** The latest live notification, for the toast. */
  latest: Notification | undefined;
}

const LiveContext = createContext<LiveValue>({ state: 'off', latest: undefined });

const cursorKey = (userId: string) => `platform.notifications.cursor.${userId}`;

/**
 * One live notification stream per signed-in user (the SDK's `notifications.live()`): it resumes
 * from the last cursor it delivered after a dropped socket, and from the last one this browser
 * saw after a reload, so missed notifications appear. Each one refreshes what it is about: the
 * unread count, the list, and the document or project it names.
 */
export function LiveNotificationsProvider({ children }: { children: ReactNode }) {
  const { session, client } = useSession();
  const queryClient = useQueryClient();
  const [value, setValue] = useState<LiveValue>({ state: 'off', latest: undefined });
  const userId = session?.user.id;

  useEffect(() => {
    if (!userId) return;
    const since = localStorage.getItem(cursorKey(userId)) ?? undefined;
    const live = client.notifications.live({
      since,
      onStateChange: (state) => setValue((previous) => ({ ...previous, state })),
    });
    let stopped = false;
    void (async () => {
      try {
        for await (const notification of live) {
          localStorage.setItem(cursorKey(userId), notification.cursor);
          setValue((previous) => ({ ...previous, latest: notification }));
          void queryClient.invalidateQueries({ queryKey: ['notifications'] });
          void queryClient.invalidateQueries({ queryKey: ['unread-count'] });
          const subject = notification.subject;
          if (subject?.__typename === 'Document') {
            void queryClient.invalidateQueries({ queryKey: ['document', subject.id] });
            void queryClient.invalidateQueries({ queryKey: ['documents'] });
          } else if (subject?.__typename === 'Project') {
            void queryClient.invalidateQueries({ queryKey: ['projects'] });
          }
        }
      } catch {
        // The stream ended with an error (4401/4403): the session is no longer valid; the next
        // request reports it and sends the user to sign in.
        if (!stopped) setValue((previous) => ({ ...previous, state: 'closed' }));
      }
    })();
    return () => {
      stopped = true;
      void live.close();
      setValue({ state: 'off', latest: undefined });
    };
  }, [client, queryClient, userId]);

  return <LiveContext.Provider value={value}>{children}</LiveContext.Provider>;
}

export function useLiveNotifications(): LiveValue {
  return useContext(LiveContext);
}
