import type { z } from 'zod';

/**
 * The parsed values of a zod shape of environment variables (`{ PORT: env.port(4000), ... }`),
 * for a feature that declares its variables as a shape its service merges into one schema.
 */
export type SettingsOf<Shape extends z.ZodRawShape> = {
  [Name in keyof Shape]: z.output<Shape[Name]>;
};
