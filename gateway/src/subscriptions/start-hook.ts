import type { AuthenticatedPrincipal } from '@platform/identity';

/**
 * Called with the subscriber before each subscription starts; throwing a GraphQLError (with its
 * `extensions.code`) refuses that subscription with the error, leaving the socket open. The rate
 * limiter charges subscription starts through it.
 */
export type SubscriptionStartHook = (principal: AuthenticatedPrincipal) => void | Promise<void>;
