import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers.js';

/** The contract: schema.graphql beside src/, read once when the subgraph starts. */
export function dataSchema(): GraphQLSchema {
  const typeDefs = parse(readFileSync(new URL('../schema.graphql', import.meta.url), 'utf8'));
  return buildSubgraphSchema([{ typeDefs, resolvers }]);
}
