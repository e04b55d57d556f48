import { readFileSync } from 'node:fs';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { parse, type GraphQLSchema } from 'graphql';
import { resolvers } from './resolvers.js';

const SCHEMA_FILE = new URL('../schema.graphql', import.meta.url);

/** The contract (schema.graphql, read at start-up) joined to its resolvers. */
export function buildDataSchema(): GraphQLSchema {
  const typeDefs = parse(readFileSync(SCHEMA_FILE, 'utf8'));
  return buildSubgraphSchema([{ typeDefs, resolvers }]);
}
