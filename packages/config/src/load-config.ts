import type { z } from 'zod';

/** Thrown at start-up when the environment does not satisfy a process's config schema. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Parses and validates a process's environment once, at start-up. Each problem names the variable,
 * so a missing or malformed setting stops the process with a message that says what to fix.
 */
export function loadConfig<Schema extends z.ZodType<object>>(
  schema: Schema,
  source: NodeJS.ProcessEnv = process.env,
): z.infer<Schema> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const variable = issue.path.join('.') || '(environment)';
    const received = source[variable];
    return received === undefined
      ? `${variable}: ${issue.message} (not set)`
      : `${variable}: ${issue.message}`;
  });
  throw new ConfigError(problems);
}
