import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { z } from 'zod';

/** What a config schema's JSON Schema (zod's `toJSONSchema`, input side) says of one variable. */
export interface VariableSchema {
  type?: string | string[];
  enum?: unknown[];
  format?: string;
  pattern?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  minLength?: number;
  default?: unknown;
  description?: string;
  anyOf?: VariableSchema[];
}

export interface ConfigSchemaExport {
  /** The export's name (`gatewayConfigSchema`). */
  name: string;
  variables: { name: string; schema: VariableSchema; required: boolean }[];
}

/** The environment a schema is built for: none set, so defaults are the local stack's. */
const EMPTY_ENVIRONMENT: NodeJS.ProcessEnv = Object.freeze({});

/** The object of variables inside a config schema (a service may pipe it into a transform). */
function variablesObject(schema: unknown, where: string): z.ZodObject {
  if (schema instanceof z.ZodObject) return schema;
  if (schema instanceof z.ZodPipe) return variablesObject(schema.in, where);
  throw new Error(`${where} is not a zod object of variables (or a pipe from one)`);
}

const jsonSchema = (schema: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as VariableSchema;

/**
 * One variable as zod describes it: its input's JSON Schema (what the environment may hold),
 * with the default taken from the output side when the input side cannot show it (a
 * `z.stringbool().default(true)` defaults its output), and booleans called booleans.
 */
function describeVariable(field: z.ZodType): VariableSchema {
  const input = jsonSchema(field, 'input');
  const output = jsonSchema(field, 'output');
  const described: VariableSchema = { ...input };
  if (!('default' in input) && 'default' in output) described.default = output.default;
  if (output.type === 'boolean') {
    described.type = 'boolean';
    delete described.enum;
  }
  return described;
}

/**
 * Every `*ConfigSchema` export of a config module: a zod schema of environment variables, or a
 * function of the environment returning one (called with an empty environment). Each variable is
 * read the way zod itself describes it (its JSON Schema); it is required when the schema refuses
 * it unset.
 */
export async function readConfigSchemas(root: string, file: string): Promise<ConfigSchemaExport[]> {
  const module = (await import(pathToFileURL(path.resolve(root, file)).href)) as Record<
    string,
    unknown
  >;
  const exports = Object.entries(module).filter(([name]) => name.endsWith('ConfigSchema'));
  if (exports.length === 0) {
    throw new Error(`${file} exports no *ConfigSchema (a zod schema of its variables)`);
  }
  return exports.map(([name, value]) => {
    const schema =
      typeof value === 'function' ? (value as (env: object) => unknown)(EMPTY_ENVIRONMENT) : value;
    const shape = variablesObject(schema, `${file}: ${name}`).shape as Record<string, z.ZodType>;
    return {
      name,
      variables: Object.entries(shape).map(([variable, field]) => ({
        name: variable,
        schema: describeVariable(field),
        required: !field.safeParse(undefined).success,
      })),
    };
  });
}
