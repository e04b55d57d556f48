import type { z } from 'zod';

/**
 * The parsed values of a zod shape of environment variables (`{ PORT: env.port(4000), ... }`),
 * for a feature that declares its variables as a shape its service merges into one schema.
 * A setting that may be unset (`.optional()`) is an optional property, as in the merged schema's
 * own type, so a service's parsed config is assignable to it.
 */
export type SettingsOf<Shape extends z.ZodRawShape> = z.output<z.ZodObject<Shape>>;
