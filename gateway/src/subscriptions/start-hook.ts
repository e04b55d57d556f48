import type { AuthenticatedPrincipal } from '@platform/identity';

/**
 * Called with the subscriber and the tokens to charge before each subscription starts (the start
 * cost, SUBSCRIPTION_START_COST), and with 1 for a subscribe refused before it (over a limit or
 * a cap, invalid): refusals are not free. Throwing a GraphQLError (with its `extensions.code`)
 * refuses a start with that error, leaving the socket open; for a refusal the client gets the
 * refusal's own error whatever the hook does. The rate limiter charges through it.
 */
export type SubscriptionStartHook = (
  principal: AuthenticatedPrincipal,
  cost: number,
) => void | Promise<void>;
