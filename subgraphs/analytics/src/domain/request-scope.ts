import type { Principal } from '@platform/identity';
import type { Loaders } from '../loaders.js';

/** What a domain operation needs to know about the request it serves. */
export interface RequestScope {
  principal: Principal;
  loaders: Loaders;
}
