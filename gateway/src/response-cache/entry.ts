import type { FormattedExecutionResult } from 'graphql';
import type { CacheScope } from './cache-keys.js';

/**
 * What the fast path (fast-path.ts) needs to decide, without parsing the operation, whether the
 * normal path would serve this entry to a caller and what it would charge: the operation's price
 * as the cost step measured it, and the root fields the authorization step looks at.
 */
export interface EntryAdmission {
  measure: { cost: number; depth: number; aliases: number; rootFields: number; tokens?: number };
  rootFieldNames: string[];
}

/** An entry's header: what its age, freshness, invalidation and admission are computed from. */
export interface EntryHeader {
  storedAt: number;
  maxAge: number;
  scope: CacheScope;
  /** The entity tags it was stored under (the in-process tier drops it by them). */
  tags: string[];
  /** Absent: the fast path never serves it (the normal path still does). */
  admission?: EntryAdmission;
}

/** A fresh entry, as a lookup returns it. */
export interface CachedResponse {
  /** A new copy of the stored result at every access. */
  readonly result: FormattedExecutionResult;
  /** The stored result's JSON, exactly the bytes the normal path would serialize. */
  resultJson: string;
  scope: CacheScope;
  /** Seconds since it was stored. */
  age: number;
  /** Seconds it stays fresh. */
  remaining: number;
  tags: readonly string[];
  admission?: EntryAdmission;
}

/** One entry as the stores keep it: `<header JSON>\n<result JSON>` (JSON never holds a raw newline). */
export function encodeEntry(header: EntryHeader, result: FormattedExecutionResult): string {
  return `${JSON.stringify(header)}\n${JSON.stringify(result)}`;
}

/** An encoded entry split into its parsed header and its result's JSON (not parsed). */
export interface DecodedEntry {
  header: EntryHeader;
  resultJson: string;
}

/** Undefined for anything unreadable (an entry of an older format, say). */
export function decodeEntry(raw: string): DecodedEntry | undefined {
  const split = raw.indexOf('\n');
  if (split < 0) return undefined;
  try {
    const header = JSON.parse(raw.slice(0, split)) as EntryHeader;
    if (typeof header?.storedAt !== 'number' || !Array.isArray(header.tags)) return undefined;
    return { header, resultJson: raw.slice(split + 1) };
  } catch {
    return undefined;
  }
}

/** Milliseconds an entry stays fresh after `now` (<= 0: expired). */
export const remainingMs = ({ header }: DecodedEntry, now: number) =>
  header.storedAt + header.maxAge * 1000 - now;

/** The entry with its age, or undefined when it is no longer fresh. */
export function freshEntry(entry: DecodedEntry, now: number): CachedResponse | undefined {
  const { header, resultJson } = entry;
  const age = Math.max(0, Math.floor((now - header.storedAt) / 1000));
  const remaining = header.maxAge - age;
  if (!(remaining > 0)) return undefined;
  return {
    get result() {
      return JSON.parse(resultJson) as FormattedExecutionResult;
    },
    resultJson,
    scope: header.scope,
    age,
    remaining,
    tags: header.tags,
    admission: header.admission,
  };
}
