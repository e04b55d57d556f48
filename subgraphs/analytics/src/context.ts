import type { RequestContext } from '@platform/subgraph-server';
import type { Domain } from './domain/index.js';
import type { Loaders } from './loaders.js';

/** What the analytics subgraph adds to every request's context. */
export interface AnalyticsContextExtra {
  /** Shared by every request. */
  domain: Domain;
  /** Fresh for every request. */
  loaders: Loaders;
}

export type AnalyticsContext = RequestContext & AnalyticsContextExtra;
