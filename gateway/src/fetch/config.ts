import { z } from 'zod';
import type { SettingsOf } from '@platform/config';

/** The subgraph fetch sharing variables, a shape the gateway's config schema extends. */
export const fetchSettings = {
  /**
   * `true`: identical client queries in flight at once (same document, operation name, variables,
   * and principal or public scope) share one execution, and identical subgraph fetches are shared
   * across client operations. Off by default: a read joining an execution that started before the
   * caller's own mutation finished would not see that write.
   */
  OPERATION_DEDUP_ENABLED: z.stringbool().default(false),
};

export type FetchSettings = SettingsOf<typeof fetchSettings>;

export interface FetchConfig {
  operationDedup: boolean;
}

export const fetchConfig = (settings: FetchSettings): FetchConfig => ({
  operationDedup: settings.OPERATION_DEDUP_ENABLED,
});
