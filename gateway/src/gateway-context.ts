import type { Principal } from '@platform/identity';
import type { Logger } from '@platform/logger';
import type { PricedContext } from './cost/index.js';
import type { BatchContext } from './http/batch.js';
import type { FetchFailureContext } from './resilience/index.js';

/** What every step of one GraphQL request sees: who calls, and how to log about it. */
export interface GatewayContext extends PricedContext, BatchContext, FetchFailureContext {
  principal: Principal;
  /** The caller's address (`req.ip`), whose budget anonymous callers spend. */
  clientIp: string | undefined;
  requestId: string;
  logger: Logger;
  /**
   * Set on operations the gateway runs itself (resolving a notification for a subscriber): they
   * are priced and authorized like any other, but not charged again: the subscription start was.
   */
  internal?: boolean;
}
