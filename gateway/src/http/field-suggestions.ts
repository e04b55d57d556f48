import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDisableSuggestions } from '@apollo/server/plugin/disableSuggestions';

/**
 * Strips graphql's "Did you mean ...?" from the validation errors of callers for whom `hides`
 * says so (the gateway: anonymous callers, who may not introspect the schema either, so the
 * suggestions would leak the field names introspection refuses them). Apollo Server's
 * `hideSchemaDetailsFromClientErrors` installs the same plugin for every caller; this runs it per
 * caller, so signed-in developers, who may introspect, keep the hints.
 */
export function hideFieldSuggestions<TContext extends object>(
  hides: (contextValue: TContext) => boolean,
): ApolloServerPlugin<TContext> {
  const disableSuggestions = ApolloServerPluginDisableSuggestions() as ApolloServerPlugin<TContext>;
  return {
    async requestDidStart(requestContext) {
      if (!hides(requestContext.contextValue)) return;
      return disableSuggestions.requestDidStart?.(requestContext);
    },
  };
}
