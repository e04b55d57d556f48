import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';
import { stackPath } from '@platform/stack';
import { metricsCatalog, type CatalogMetric } from '@platform/testing';
import { parse } from 'yaml';
import { promqlReferences } from './promql-references.js';

/**
 * The dashboard and the alert rules query only metrics docs/metrics.md documents, by labels it
 * documents for them, so a renamed or dropped metric fails here instead of going blank in Grafana
 * or never firing.
 */
const DIR = fileURLToPath(new URL('.', import.meta.url));
const catalog = new Map(metricsCatalog().map((metric) => [metric.name, metric]));
/** Labels every series has from its scrape, whatever the metric. */
const SCRAPE_LABELS = ['job', 'instance'];

interface Panel {
  type: string;
  title: string;
  id: number;
  panels?: Panel[];
  targets?: Array<{ expr: string }>;
}
const dashboard = JSON.parse(
  readFileSync(path.join(DIR, 'grafana/dashboards/platform.json'), 'utf8'),
) as { uid: string; panels: Panel[] };
const panels = dashboard.panels.flatMap((panel) => [panel, ...(panel.panels ?? [])]);
const dashboardExpressions = panels.flatMap((panel) =>
  (panel.targets ?? []).map((target) => ({ where: `panel "${panel.title}"`, expr: target.expr })),
);

const rules = parse(readFileSync(path.join(DIR, 'prometheus/alerts.yml'), 'utf8')) as {
  groups: Array<{ rules: Array<{ alert: string; expr: string }> }>;
};
const alerts = rules.groups.flatMap((group) => group.rules);
const alertExpressions = alerts.map((rule) => ({ where: `alert ${rule.alert}`, expr: rule.expr }));

/** The documented metric a series name belongs to (a histogram's _bucket, _sum, _count). */
function documentedMetric(series: string): { metric: CatalogMetric; bucket: boolean } | undefined {
  const direct = catalog.get(series);
  if (direct) return { metric: direct, bucket: false };
  const suffix = /_(bucket|sum|count)$/.exec(series);
  const base = suffix ? catalog.get(series.slice(0, suffix.index)) : undefined;
  return base?.type === 'histogram' ? { metric: base, bucket: suffix![1] === 'bucket' } : undefined;
}

/** Every way an expression does not fit the catalog; empty when it fits. */
function problemsOf(expr: string): string[] {
  const problems: string[] = [];
  const { selectors, grouping } = promqlReferences(expr);
  const known = new Set(SCRAPE_LABELS);
  for (const { metric: series, labels } of selectors) {
    const found = documentedMetric(series);
    if (!found) {
      problems.push(`${series || '{...}'} is not in docs/metrics.md`);
      continue;
    }
    const allowed = [...found.metric.labels, ...SCRAPE_LABELS, ...(found.bucket ? ['le'] : [])];
    allowed.forEach((label) => known.add(label));
    for (const label of labels.filter((name) => !allowed.includes(name))) {
      problems.push(`${series} has no label ${label}`);
    }
  }
  for (const label of grouping.filter((name) => !known.has(name))) {
    problems.push(`no metric of the expression has the label ${label} it groups by`);
  }
  return problems;
}

describe('the platform dashboard and alert rules', () => {
  it('query only documented metrics, by their documented labels', () => {
    const problems = [...dashboardExpressions, ...alertExpressions].flatMap(({ where, expr }) =>
      problemsOf(expr).map((problem) => `${where}: ${problem}`),
    );
    expect(problems).toEqual([]);
  });

  it('notice an undocumented metric or label (the check itself can fail)', () => {
    expect(problemsOf('sum by (subgraph) (rate(gateway_fetches_total[5m]))')).toEqual([
      'gateway_fetches_total is not in docs/metrics.md',
      'no metric of the expression has the label subgraph it groups by',
    ]);
    expect(problemsOf('gateway_subgraph_breaker_open{tier="user"}')).toEqual([
      'gateway_subgraph_breaker_open has no label tier',
    ]);
    expect(problemsOf('rate(gateway_subgraph_failures_total_bucket[5m])')).toEqual([
      'gateway_subgraph_failures_total_bucket is not in docs/metrics.md',
    ]);
    expect(
      problemsOf(
        'histogram_quantile(0.99, sum by (le, subgraph) (rate(gateway_subgraph_fetch_duration_seconds_bucket{outcome="success"}[$__rate_interval])))',
      ),
    ).toEqual([]);
  });

  it('show what the issue asks of the dashboard', () => {
    const used = new Set(
      dashboardExpressions.flatMap(({ expr }) =>
        promqlReferences(expr).selectors.map(
          ({ metric }) => documentedMetric(metric)?.metric.name ?? metric,
        ),
      ),
    );
    expect([...used]).toEqual(
      expect.arrayContaining([
        'gateway_operation_duration_seconds', // request rate, errors, p99 by operation
        'gateway_subgraph_fetch_duration_seconds', // subgraph latency and errors
        'gateway_subgraph_breaker_open',
        'gateway_response_cache_total', // hit ratio
        'gateway_rate_limit_decisions_total', // refusals
        'events_consumer_lag_messages',
        'events_outbox_oldest_age_seconds',
        'events_dead_letters_total',
        'gateway_subscription_delivery_latency_seconds',
        'gateway_subscription_connections', // sockets
      ]),
    );
    expect(new Set(panels.map((panel) => panel.id)).size).toBe(panels.length);
  });

  it('alert on what the issue asks', () => {
    expect(alerts.map((rule) => rule.alert)).toEqual(
      expect.arrayContaining([
        'SubgraphErrorRateHigh',
        'SubgraphBreakerOpen',
        'ConsumerLagHigh',
        'OutboxEventsStale',
        'DeadLettersGrowing',
        'OperationLatencyP99High',
      ]),
    );
  });

  it("hold only PromQL Prometheus parses (the dashboard's expressions, checked by promtool)", async () => {
    const work = mkdtempSync(path.join(tmpdir(), 'dashboard-promql-'));
    try {
      const records = dashboardExpressions.map(({ expr }, index) => ({
        record: `dashboard:expression_${index}`,
        expr: expr.replace(/\$__rate_interval|\$__range/g, '5m'),
      }));
      const file = path.join(work, 'dashboard.rules.json');
      // JSON is YAML: promtool reads it as a rules file.
      writeFileSync(file, JSON.stringify({ groups: [{ name: 'dashboard', rules: records }] }));
      const cached = stackPath('tools', 'bin', 'promtool');
      const promtool = existsSync(cached) ? cached : 'promtool';
      const result = await new Promise<{ code: number; output: string }>((resolve, reject) =>
        execFile(promtool, ['check', 'rules', file], (error, stdout, stderr) => {
          if (error && typeof error.code !== 'number') return reject(error);
          resolve({ code: error ? Number(error.code) : 0, output: `${stdout}${stderr}` });
        }),
      );
      expect(result).toEqual({ code: 0, output: expect.stringContaining('SUCCESS') });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
