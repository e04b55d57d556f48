import { Client, UnauthenticatedError } from '@acme/sdk';
import { isExpired, type Session } from '../session/store.js';

/** The gateway's GraphQL endpoint on this page's origin (the gateway serves the app). */
export function endpointUrl(location: Pick<Location, 'origin'> = window.location): string {
  return `${location.origin}/graphql`;
}

/**
 * The app's one SDK client. The token is asked for before each request and socket, so signing in
 * or out needs no new client; an expired token fails here, before the request leaves, with the
 * same UnauthenticatedError the gateway would answer.
 */
export function createPlatformClient(currentSession: () => Session | undefined): Client {
  return new Client({
    url: endpointUrl(),
    getToken: async () => {
      const session = currentSession();
      if (!session) return '';
      if (isExpired(session)) {
        throw new UnauthenticatedError('Your session has expired: sign in again', {
          code: 'UNAUTHENTICATED',
        });
      }
      return session.token;
    },
  });
}
