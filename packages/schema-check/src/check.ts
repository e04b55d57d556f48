import { CriticalityLevel, diff, validate, type Change } from '@graphql-inspector/core';
import type { GraphQLError, GraphQLSchema, Source } from 'graphql';
import { namesChange, type IntendedBreak } from './intended-breaks.js';

export interface SchemaCheckInput {
  /** The last released public API (`schema/released/api.graphql`). */
  released: GraphQLSchema;
  /** The public API as composed now (`schema/api.graphql`). */
  current: GraphQLSchema;
  /**
   * Every operation and fragment the SDK and the web app send, one set per consumer (fragment
   * names are unique within a set, as codegen generates each set on its own).
   */
  documents: DocumentSet[];
  /** Breaks accepted on purpose (`schema/intended-breaking-changes.json`). */
  intended: IntendedBreak[];
}

export interface DocumentSet {
  /** Who sends these operations (a codegen output: `sdk/src/generated/operations.ts`). */
  consumer: string;
  sources: Source[];
}

export interface InvalidOperationDocument {
  /** The file the operation came from (or the name it was given). */
  location: string;
  errors: readonly GraphQLError[];
}

export interface SchemaCheckResult {
  /** Breaking changes no intended entry accepts: each fails the check. */
  breaking: Change[];
  /** Breaking changes an intended entry accepts, with the entry. */
  accepted: { change: Change; entry: IntendedBreak }[];
  /** Intended entries that name no breaking change of this diff: stale, so they fail too. */
  staleEntries: IntendedBreak[];
  /** Changes that may alter what existing clients see (warnings). */
  dangerous: Change[];
  /** Changes no client can notice. */
  safe: Change[];
  /** Operation documents that do not validate against the current schema: each fails. */
  invalidDocuments: InvalidOperationDocument[];
  /** Operation documents that use deprecated fields or values (warnings). */
  deprecatedUsages: InvalidOperationDocument[];
  /** How many documents of each consumer were validated. */
  validated: { consumer: string; documents: number }[];
  ok: boolean;
}

/**
 * The public API's compatibility check: the diff of the released against the current schema
 * (graphql-inspector's rules decide what is breaking or dangerous), the intended breaks matched
 * against it, and every client operation validated against the current schema.
 */
export async function checkSchema(input: SchemaCheckInput): Promise<SchemaCheckResult> {
  const changes = await diff(input.released, input.current);
  const byLevel = (level: CriticalityLevel) =>
    changes.filter((change) => change.criticality.level === level);

  const accepted: SchemaCheckResult['accepted'] = [];
  const breaking: Change[] = [];
  for (const change of byLevel(CriticalityLevel.Breaking)) {
    const entry = input.intended.find((candidate) => namesChange(candidate, change));
    if (entry) accepted.push({ change, entry });
    else breaking.push(change);
  }
  const staleEntries = input.intended.filter(
    (entry) => !accepted.some((acceptance) => acceptance.entry === entry),
  );

  // Deprecated usage is reported apart from the errors (`deprecated`) and is only a warning: a
  // deprecation is the notice before a removal.
  const checked = input.documents.flatMap((set) => validate(input.current, set.sources));
  const location = (source: Source) => source.name;
  const invalidDocuments = checked
    .filter((document) => document.errors.length > 0)
    .map((document) => ({ location: location(document.source), errors: document.errors }));
  const deprecatedUsages = checked
    .filter((document) => document.deprecated.length > 0)
    .map((document) => ({ location: location(document.source), errors: document.deprecated }));

  return {
    breaking,
    accepted,
    staleEntries,
    dangerous: byLevel(CriticalityLevel.Dangerous),
    safe: byLevel(CriticalityLevel.NonBreaking),
    invalidDocuments,
    deprecatedUsages,
    validated: input.documents.map((set) => ({
      consumer: set.consumer,
      documents: set.sources.length,
    })),
    ok: breaking.length === 0 && staleEntries.length === 0 && invalidDocuments.length === 0,
  };
}
