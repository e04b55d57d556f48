import { z } from 'zod';
import type { SettingsOf } from '@platform/config';

/** The process variables every service's config schema extends (gateway and subgraphs alike). */
export const workerProcessesSettings = {
  /**
   * How many node:cluster worker processes serve this service's one port; 1 (the default) runs
   * the service in this process, with no primary in front of it.
   */
  WORKER_PROCESSES: z.coerce
    .number()
    .int('must be a whole number')
    .min(1, 'must be at least 1')
    .max(256, 'must be at most 256')
    .default(1),
};

export type WorkerProcessesSettings = SettingsOf<typeof workerProcessesSettings>;
