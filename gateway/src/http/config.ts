import { z } from 'zod';
import type { SettingsOf } from '@platform/config';

/** The HTTP batch variables, a shape the gateway's config schema extends. */
export const httpSettings = {
  /** Operations one HTTP batch (a JSON array body) may hold; more: 400 BATCH_LIMIT_EXCEEDED. */
  MAX_BATCH_OPERATIONS: z.coerce.number().int().positive().default(10),
  /** Operations of one batch that run at once; the others wait their turn. */
  BATCH_CONCURRENCY: z.coerce.number().int().positive().default(4),
};

export type HttpSettings = SettingsOf<typeof httpSettings>;

export interface HttpConfig {
  maxBatchOperations: number;
  batchConcurrency: number;
}

export const httpConfig = (settings: HttpSettings): HttpConfig => ({
  maxBatchOperations: settings.MAX_BATCH_OPERATIONS,
  batchConcurrency: settings.BATCH_CONCURRENCY,
});
