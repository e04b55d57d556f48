import { readFile } from 'node:fs/promises';
import { composeServices } from '@apollo/composition';
import { printSchema } from '@apollo/federation-internals';
import { GraphQLError, parse, type DocumentNode } from 'graphql';
import { DEFAULT_ROVER_CONFIG_PATH, readRoverConfig, type SubgraphSource } from './rover-config.js';

export interface ComposedSchemas {
  /** The supergraph the gateway plans queries with (join__ directives, routing URLs). */
  supergraphSdl: string;
  /** What clients see: the supergraph without federation internals or @inaccessible elements. */
  apiSchemaSdl: string;
}

/** Composition failed; `errors` holds every message, each naming the subgraph when known. */
export class CompositionError extends Error {
  constructor(readonly errors: string[]) {
    super(`Composition failed:\n${errors.map((error) => `  - ${error}`).join('\n')}`);
    this.name = 'CompositionError';
  }
}

/**
 * Composes the subgraphs listed in a rover supergraph config the way
 * `rover supergraph compose --config rover.yaml` does, with the installed @apollo/composition.
 */
export async function compose(configPath = DEFAULT_ROVER_CONFIG_PATH): Promise<ComposedSchemas> {
  const { subgraphs } = await readRoverConfig(configPath);
  const parsed = await Promise.all(subgraphs.map(parseSubgraph));
  const syntaxErrors = parsed.flatMap((result) => ('error' in result ? [result.error] : []));
  if (syntaxErrors.length > 0) throw new CompositionError(syntaxErrors);

  const result = composeServices(
    parsed.flatMap((result) => ('service' in result ? [result.service] : [])),
  );
  if (result.errors) throw new CompositionError(result.errors.map((error) => error.message));

  return {
    supergraphSdl: result.supergraphSdl,
    apiSchemaSdl: printSchema(result.schema.toAPISchema()),
  };
}

type ParsedSubgraph =
  { service: { name: string; url: string; typeDefs: DocumentNode } } | { error: string };

async function parseSubgraph(source: SubgraphSource): Promise<ParsedSubgraph> {
  try {
    const sdl = await readFile(source.schemaFile, 'utf8');
    return {
      service: { name: source.name, url: source.routingUrl, typeDefs: parse(sdl) },
    };
  } catch (error) {
    if (!(error instanceof GraphQLError) && !isFileError(error)) throw error;
    return { error: `[${source.name}] ${source.schemaFile}: ${(error as Error).message}` };
  }
}

function isFileError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && typeof error.code === 'string';
}
