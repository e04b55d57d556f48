import type { Logger } from '@platform/logger';
import type { Principal } from '@platform/identity';

/** What every subgraph resolver receives, whatever the subgraph adds to it. */
export interface RequestContext {
  principal: Principal;
  requestId: string;
  logger: Logger;
}
