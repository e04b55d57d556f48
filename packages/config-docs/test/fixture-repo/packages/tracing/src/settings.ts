import { z } from 'zod';

/** A package’s own variables, read by whichever process starts it. */
export const tracingSettings = z.object({
  /** The share of traces kept. */
  TRACES_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(1),
});
