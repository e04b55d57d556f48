import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';
import { CodeFileLoader } from '@graphql-tools/code-file-loader';
import { GraphQLFileLoader } from '@graphql-tools/graphql-file-loader';
import { loadDocuments, NoTypeDefinitionsFound } from '@graphql-tools/load';
import { print, Source } from 'graphql';
import type { DocumentSet } from './check.js';

type DocumentPointers = string | string[];

/**
 * The document globs of every codegen output generated from `schema` (the SDK's operations, the
 * web app's `graphql()` calls): the check validates exactly what codegen types, so a new consumer
 * added to codegen.ts is checked with no change here.
 */
export function clientDocumentGlobs(
  config: CodegenConfig,
  schema: string,
): { consumer: string; globs: string[] }[] {
  return Object.entries(config.generates).flatMap(([consumer, output]) => {
    const target = output as { schema?: unknown; documents?: DocumentPointers };
    if (target.schema !== schema || target.documents === undefined) return [];
    return [{ consumer, globs: ([] as string[]).concat(target.documents) }];
  });
}

/** codegen.ts of the repository at `root`, as GraphQL Code Generator reads it. */
export async function readCodegenConfig(root: string): Promise<CodegenConfig> {
  const module = (await import(pathToFileURL(path.join(root, 'codegen.ts')).href)) as {
    default: CodegenConfig;
  };
  return module.default;
}

/** The operations and fragments of `globs` under `cwd`, from .graphql files and graphql() calls. */
export async function loadDocumentSet(
  consumer: string,
  globs: string[],
  cwd: string,
): Promise<DocumentSet> {
  const loaded = await loadDocuments(globs, {
    cwd,
    // noRequire: plucked from the source text only, never by running the module.
    loaders: [new GraphQLFileLoader(), new CodeFileLoader({ noRequire: true })],
  }).catch((error: unknown) => {
    // A consumer without documents yet has nothing to validate (codegen's ignoreNoDocuments).
    if (error instanceof NoTypeDefinitionsFound) return [];
    throw error;
  });
  const sources = loaded.map(
    (source) =>
      new Source(
        source.rawSDL ?? (source.document ? print(source.document) : ''),
        path.relative(cwd, source.location ?? consumer),
      ),
  );
  return { consumer, sources };
}
