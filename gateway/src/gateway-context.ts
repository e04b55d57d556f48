import type { Principal } from '@platform/identity';
import type { Logger } from '@platform/logger';

/** What every step of one GraphQL request sees: who calls, and how to log about it. */
export interface GatewayContext {
  principal: Principal;
  requestId: string;
  logger: Logger;
}
