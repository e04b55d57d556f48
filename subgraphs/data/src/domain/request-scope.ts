import type { Principal } from '@platform/identity';
import type { Repositories } from '../repositories/index.js';
import type { OutboxWriter } from './outbox-writer.js';
import type { Loaders } from '../loaders.js';

/** Everything a domain function needs to serve one request. */
export interface DataRequest {
  principal: Principal;
  repositories: Repositories;
  loaders: Loaders;
  /** Every committed change emits its event through this. */
  events: OutboxWriter;
}
