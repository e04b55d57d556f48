import { Client, type Session as SdkSession } from '@acme/sdk';

/** The gateway's GraphQL endpoint on this page's origin (the gateway serves the app). */
export function endpointUrl(location: Pick<Location, 'origin'> = window.location): string {
  return `${location.origin}/graphql`;
}

/**
 * The app's one SDK client, keeping the session itself (sdk/README.md, Sessions): login and
 * signUp adopt their tokens, an expired access token is refreshed once and the request sent
 * again, and `onSessionChange` hears of every new pair of tokens (to store) and of the end of the
 * session (null: signed out, or the refresh was refused).
 */
export function createPlatformClient(
  initial: SdkSession | null,
  onSessionChange: (session: SdkSession | null) => void,
): Client {
  return new Client({ url: endpointUrl(), session: initial, onSessionChange });
}
