/** What one PromQL expression refers to: metric names with the labels it matches on, and grouping. */
export interface PromqlReferences {
  /** Each selector's metric and the label names of its `{...}` matchers. */
  selectors: Array<{ metric: string; labels: string[] }>;
  /** Labels named in `by (...)`, `without (...)`, `on (...)` and `ignoring (...)`. */
  grouping: string[];
}

const KEYWORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);
const IDENTIFIER = /(?<![\w.$])[a-zA-Z_:][a-zA-Z0-9_:]*/g;

/**
 * The references of an expression, read with regular expressions rather than a PromQL parser
 * (none is on npm for Node that is kept up): enough for the expressions of our own dashboards
 * and rules, whose syntax promtool checks (`references.test.ts`). Grafana's `$__rate_interval`
 * and `$__range` read as durations.
 */
export function promqlReferences(expression: string): PromqlReferences {
  let rest = expression
    .replace(/\$__\w+/g, '5m')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  const grouping: string[] = [];
  rest = rest.replace(
    /\b(by|without|on|ignoring)\s*\(([^)]*)\)/g,
    (_, _keyword, labels: string) => {
      grouping.push(
        ...labels
          .split(',')
          .map((label) => label.trim())
          .filter(Boolean),
      );
      return ' ';
    },
  );
  const selectors: PromqlReferences['selectors'] = [];
  rest = rest.replace(
    /([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*\{([^}]*)\}/g,
    (_, metric: string | undefined, matchers: string) => {
      const labels = [...matchers.matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)/g)].map(
        (match) => match[1]!,
      );
      selectors.push({ metric: metric ?? '', labels });
      return ' ';
    },
  );
  for (const match of rest.matchAll(IDENTIFIER)) {
    const name = match[0];
    const after = rest.slice(match.index + name.length);
    if (KEYWORDS.has(name) || /^\s*\(/.test(after)) continue;
    selectors.push({ metric: name, labels: [] });
  }
  return { selectors, grouping };
}
