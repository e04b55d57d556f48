import { GraphQLScalarType, valueFromASTUntyped } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

/**
 * graphql-scalars' DateTime for output; its input is handed to the domain as sent, which parses it
 * (`requireDateTime` in domain/date-time-input.ts). A scalar that refuses an input makes the whole
 * request fail validation with HTTP 400, which the gateway can only pass on as a bare
 * INTERNAL_SERVER_ERROR (`metrics(from: "yesterday")`); the domain's refusal is BAD_USER_INPUT
 * naming the argument, as every other argument check is.
 */
export const DateTimeAcceptingAnyInput = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  parseValue: (value) => value,
  parseLiteral: (ast) => valueFromASTUntyped(ast),
});
