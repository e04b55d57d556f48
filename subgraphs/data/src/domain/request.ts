import type { Principal } from '@platform/identity';
import type { Repositories } from '../repositories/index.js';
import type { EntityLoaders } from './entity-loaders.js';

/** Everything a domain function needs to serve one request. */
export interface DataRequest {
  principal: Principal;
  repositories: Repositories;
  loaders: EntityLoaders;
}
