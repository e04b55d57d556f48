import type { Principal } from '@platform/identity';
import type { Logger } from '@platform/logger';
import type { Loaders } from '../loaders.js';

/** What a domain operation needs to know about the request it serves. */
export interface RequestScope {
  principal: Principal;
  loaders: Loaders;
  /** The request's logger: an event a mutation leaves to the outbox reconciler is logged here. */
  logger: Logger;
}
