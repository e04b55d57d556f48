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
 * The config schemas a module exports: every `*ConfigSchema` (a zod object of environment
 * variables, a pipe from one, or a function of the environment returning either, called with an
 * empty environment), and every `*Settings` that is itself a zod object (variables a package
 * reads on its own, such as `telemetrySettings`). A `*Settings` that is a plain shape is part of a
 * service's schema and is documented there. Each variable is read the way zod itself describes
 * it (its JSON Schema); it is required when the schema refuses it unset. A module with none
 * returns none.
 */
export async function readConfigSchemas(root: string, file: string): Promise<ConfigSchemaExport[]> {
  const module = (await import(pathToFileURL(path.resolve(root, file)).href)) as Record<
    string,
    unknown
  >;
  const schemas = Object.entries(module).flatMap(([name, value]): [string, unknown][] => {
    if (name.endsWith('ConfigSchema')) {
      return [
        [
          name,
          typeof value === 'function'
            ? (value as (env: object) => unknown)(EMPTY_ENVIRONMENT)
            : value,
        ],
      ];
    }
    return name.endsWith('Settings') && value instanceof z.ZodObject ? [[name, value]] : [];
  });
  return schemas.map(([name, schema]) => {
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
