import { z } from 'zod';

/** Reusable environment-variable parsers: every value arrives as a string. */

export const port = (fallback: number) =>
  z.coerce.number().int().min(1).max(65535).default(fallback);

export const url = (fallback?: string) =>
  fallback === undefined ? z.url() : z.url().default(fallback);

export const secret = (minLength = 32) =>
  z.string().min(minLength, `must be at least ${minLength} characters`);

export const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((value) =>
      value
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    );

export const logLevel = z
  .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  .default('info')
  .describe('The least severe log level written (pino); `silent` writes nothing.');
