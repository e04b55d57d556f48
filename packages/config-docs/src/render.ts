import type { VariableSchema } from './read-config.js';

/** Larger bounds are zod's "any safe integer", not a limit worth printing. */
const UNBOUNDED = Number.MAX_SAFE_INTEGER;

const code = (value: unknown) => `\`${typeof value === 'string' ? value : JSON.stringify(value)}\``;

/** What a variable accepts, in words: `integer 1-65535`, `URL`, one of `a`, `b`. */
export function describeType(schema: VariableSchema): string {
  if (schema.anyOf) return schema.anyOf.map(describeType).join(' or ');
  if (schema.enum) {
    return `one of ${schema.enum.map((value) => (value === '' ? 'empty' : code(value))).join(', ')}`;
  }
  const type = Array.isArray(schema.type) ? schema.type.join(' or ') : schema.type;
  if (type === 'integer' || type === 'number') {
    const lower =
      schema.minimum !== undefined
        ? schema.minimum
        : schema.exclusiveMinimum !== undefined
          ? `> ${schema.exclusiveMinimum}`
          : undefined;
    const upper =
      schema.maximum !== undefined && schema.maximum < UNBOUNDED ? schema.maximum : undefined;
    if (typeof lower === 'number' && upper !== undefined) return `${type} ${lower}-${upper}`;
    if (lower !== undefined) return `${type} ${typeof lower === 'number' ? `>= ${lower}` : lower}`;
    if (upper !== undefined) return `${type} <= ${upper}`;
    return type;
  }
  if (type === 'string') {
    if (schema.format === 'uri') return 'URL';
    if (schema.format) return schema.format;
    if (schema.pattern) return `string matching ${code(schema.pattern)}`;
    if (schema.minLength && schema.minLength > 1) return `string, ${schema.minLength}+ characters`;
    if (schema.minLength === 1) return 'non-empty string';
    return 'string';
  }
  return type ?? 'string';
}

/** A default as the reference shows it; paths inside the repository are shown from its root. */
export function describeDefault(schema: VariableSchema, root: string): string {
  if (!('default' in schema)) return '';
  const value = schema.default;
  if (value === '') return 'empty';
  if (typeof value === 'string' && value.startsWith(root)) {
    return code(`<repository>/${value.slice(root.length).replace(/^\/+/, '')}`);
  }
  return code(value);
}

/** A comment's paragraphs joined into one line of a Markdown list. */
export function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}
