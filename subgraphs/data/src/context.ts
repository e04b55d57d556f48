import type { RequestContext } from '@platform/subgraph-server';
import type { Domain } from './domain/index.js';
import type { Loaders } from './loaders.js';

/** What the data subgraph adds to every request's context. */
export interface DataContextExtra {
  /** Shared by every request. */
  domain: Domain;
  /** Fresh for every request. */
  loaders: Loaders;
}

export type DataContext = RequestContext & DataContextExtra;
