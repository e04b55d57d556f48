import { Kind, valueFromASTUntyped, type ConstDirectiveNode, type GraphQLSchema } from 'graphql';

/**
 * The demand-control directives of IBM's cost spec as Apollo Federation 2.9+ carries them:
 * subgraphs import `@cost`/`@listSize` from the federation spec, and composition writes them into
 * the supergraph under `@link(url: "https://specs.apollo.dev/cost/v0.1", import: [...])`, keeping
 * any rename (`{ name: "@cost", as: "@price" }`, or `@federation__cost` when not imported).
 */
const COST_SPEC_NAME = 'cost';
const FEDERATION_SPEC_NAME = 'federation';
const SPECS_HOST = 'specs.apollo.dev';

/** The local names (without `@`) the schema uses for `@cost` and `@listSize`. */
export interface CostDirectiveNames {
  cost: ReadonlySet<string>;
  listSize: ReadonlySet<string>;
}

/** `@listSize(assumedSize:, slicingArguments:, sizedFields:)` as written on a field. */
export interface ListSizeDirective {
  assumedSize?: number;
  slicingArguments: string[];
  sizedFields: string[];
}

/**
 * Resolves the names through the schema's `@link`s (cost spec, else federation spec 2.9+); a
 * schema that links neither (hand-written SDL) uses the plain `@cost` and `@listSize`.
 */
export function costDirectiveNames(schema: GraphQLSchema): CostDirectiveNames {
  const cost = new Set<string>();
  const listSize = new Set<string>();
  const schemaNodes = [schema.astNode, ...schema.extensionASTNodes].filter((node) => !!node);
  for (const link of schemaNodes.flatMap((node) => node.directives ?? [])) {
    if (link.name.value !== 'link') continue;
    const spec = linkedSpec(link);
    if (spec?.name !== COST_SPEC_NAME && spec?.name !== FEDERATION_SPEC_NAME) continue;
    cost.add(localName(spec, 'cost'));
    listSize.add(localName(spec, 'listSize'));
  }
  if (cost.size === 0) cost.add('cost');
  if (listSize.size === 0) listSize.add('listSize');
  return { cost, listSize };
}

/** The weight of the first `@cost` among the directives, if any. */
export function costWeight(
  directives: readonly ConstDirectiveNode[] | undefined,
  names: CostDirectiveNames,
): number | undefined {
  const directive = directives?.find((candidate) => names.cost.has(candidate.name.value));
  const weight = directive && argumentValue(directive, 'weight');
  return typeof weight === 'number' && Number.isFinite(weight) ? weight : undefined;
}

/** The first `@listSize` among the directives, if any. */
export function listSizeDirective(
  directives: readonly ConstDirectiveNode[] | undefined,
  names: CostDirectiveNames,
): ListSizeDirective | undefined {
  const directive = directives?.find((candidate) => names.listSize.has(candidate.name.value));
  if (!directive) return undefined;
  const assumedSize = argumentValue(directive, 'assumedSize');
  return {
    assumedSize:
      typeof assumedSize === 'number' && Number.isInteger(assumedSize) && assumedSize >= 0
        ? assumedSize
        : undefined,
    slicingArguments: stringList(argumentValue(directive, 'slicingArguments')),
    sizedFields: stringList(argumentValue(directive, 'sizedFields')),
  };
}

interface LinkedSpec {
  name: string;
  /** `@link(as:)`: the namespace non-imported elements are prefixed with. */
  namespace: string;
  /** Imported directive names (without `@`) to their local names. */
  imports: Map<string, string>;
}

function linkedSpec(link: ConstDirectiveNode): LinkedSpec | undefined {
  const url = argumentValue(link, 'url');
  if (typeof url !== 'string') return undefined;
  let path: string[];
  try {
    const parsed = new URL(url);
    if (parsed.host !== SPECS_HOST) return undefined;
    path = parsed.pathname.split('/').filter(Boolean);
  } catch {
    return undefined;
  }
  const name = path.at(-2); // .../<name>/v<major>.<minor>
  if (!name) return undefined;
  const as = argumentValue(link, 'as');
  const imports = new Map<string, string>();
  const imported = argumentValue(link, 'import');
  for (const entry of Array.isArray(imported) ? imported : []) {
    if (typeof entry === 'string') {
      imports.set(stripAt(entry), stripAt(entry));
    } else if (isRecord(entry) && typeof entry.name === 'string') {
      const alias = typeof entry.as === 'string' ? entry.as : entry.name;
      imports.set(stripAt(entry.name), stripAt(alias));
    }
  }
  return { name, namespace: typeof as === 'string' ? as : name, imports };
}

/** The link spec's naming rule: imported as given, else `@<namespace>` or `@<namespace>__<name>`. */
function localName(spec: LinkedSpec, directive: string): string {
  const imported = spec.imports.get(directive);
  if (imported) return imported;
  return directive === spec.name ? spec.namespace : `${spec.namespace}__${directive}`;
}

function argumentValue(directive: ConstDirectiveNode, name: string): unknown {
  const argument = directive.arguments?.find((candidate) => candidate.name.value === name);
  if (!argument || argument.value.kind === Kind.NULL) return undefined;
  return valueFromASTUntyped(argument.value);
}

function stringList(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  return Array.isArray(value)
    ? value.filter((item): item is string => typeof item === 'string')
    : [];
}

function stripAt(name: string): string {
  return name.startsWith('@') ? name.slice(1) : name;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}
