import { z } from 'zod';
import type { SettingsOf } from '@platform/config';
import type { CostModelOptions, CostOverrides } from './model.js';
import type { CostLimits } from './limits.js';

/** `{ "Type.field": { weight, assumedSize, slicingArguments, sizedFields }, "Type": { weight } }` */
const SCHEMA_COORDINATE = /^[_A-Za-z]\w*(\.[_A-Za-z]\w*)?$/;

export const costOverridesSchema = z
  .record(
    z.string(),
    z.strictObject({
      weight: z.number().min(0).optional(),
      assumedSize: z.number().int().min(0).optional(),
      slicingArguments: z.array(z.string().min(1)).optional(),
      sizedFields: z.array(z.string().min(1)).optional(),
    }),
  )
  .superRefine((overrides, context) => {
    for (const key of Object.keys(overrides)) {
      if (!SCHEMA_COORDINATE.test(key)) {
        context.addIssue({
          code: 'custom',
          message: 'keys are "Type" or "Type.field"',
          path: [key],
        });
      }
    }
  });

/** COST_OVERRIDES: JSON text, validated whole so the error names the variable and the key. */
const costOverridesVariable = z
  .string()
  .default('{}')
  .transform((text, context): CostOverrides => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON object' });
      return z.NEVER;
    }
    const parsed = costOverridesSchema.safeParse(json);
    if (parsed.success) return parsed.data;
    for (const issue of parsed.error.issues) {
      const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
      context.addIssue({ code: 'custom', message: `${issue.message}${where}` });
    }
    return z.NEVER;
  });

const positiveInt = (fallback: number) => z.coerce.number().int().positive().default(fallback);

/** The cost step's environment variables, to spread into the gateway's config schema. */
export const costSettings = {
  /** Largest static cost an operation may have (COST_LIMIT_EXCEEDED above). */
  MAX_QUERY_COST: z.coerce.number().positive().default(5000),
  /** Deepest field nesting (DEPTH_LIMIT_EXCEEDED). */
  MAX_QUERY_DEPTH: positiveInt(12),
  /** Most aliased fields (ALIAS_LIMIT_EXCEEDED). */
  MAX_ALIASES: z.coerce.number().int().min(0).default(30),
  /** Most root fields (ROOT_FIELD_LIMIT_EXCEEDED). */
  MAX_ROOT_FIELDS: positiveInt(10),
  /** Most lexical tokens in a document (TOKEN_LIMIT_EXCEEDED); parsing stops there. */
  MAX_TOKENS: positiveInt(5000),
  /** Length assumed for a list field with no slicing argument and no `@listSize(assumedSize:)`. */
  DEFAULT_LIST_SIZE: z.coerce.number().int().min(0).default(10),
  /** Per-field tuning without a schema change (see costOverridesSchema). */
  COST_OVERRIDES: costOverridesVariable,
};

export type CostSettings = SettingsOf<typeof costSettings>;

export interface CostConfig {
  limits: CostLimits;
  model: CostModelOptions;
}

export function costConfig(settings: CostSettings): CostConfig {
  return {
    limits: {
      maxCost: settings.MAX_QUERY_COST,
      maxDepth: settings.MAX_QUERY_DEPTH,
      maxAliases: settings.MAX_ALIASES,
      maxRootFields: settings.MAX_ROOT_FIELDS,
      maxTokens: settings.MAX_TOKENS,
    },
    model: {
      overrides: settings.COST_OVERRIDES,
      defaults: { listSize: settings.DEFAULT_LIST_SIZE },
    },
  };
}
