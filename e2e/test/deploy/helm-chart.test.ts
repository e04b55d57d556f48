import { readFileSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { CHART, helm, named, ofKind, renderChart, renderFailure, type Manifest } from './helm.js';
import {
  loadServiceConfig,
  loopbackSettings,
  REPO_ROOT,
  SERVICES,
  SUBGRAPHS,
} from './service-configs.js';

// Values only a leak could put in a ConfigMap.
const SECRETS = {
  jwtSecret: 'jwt-secret-of-the-chart-test-0123456789',
  gatewaySecret: 'gateway-secret-of-the-chart-test-0123456789',
};
const STORE_PASSWORD = 'store-password-of-the-chart-test';
const INLINE = [
  `--set=secrets.jwtSecret=${SECRETS.jwtSecret}`,
  `--set=secrets.gatewaySecret=${SECRETS.gatewaySecret}`,
  `--set=stores.postgres.userUrl=postgres://platform:${STORE_PASSWORD}@pg.internal:5432/platform`,
  `--set=stores.postgres.analyticsUrl=postgres://platform:${STORE_PASSWORD}@pg.internal:5432/analytics`,
  `--set=stores.postgres.notificationUrl=postgres://platform:${STORE_PASSWORD}@pg.internal:5432/notifications`,
  `--set=stores.mongoUrl=mongodb://platform:${STORE_PASSWORD}@mongo.internal:27017/`,
  `--set=stores.redisUrl=redis://platform:${STORE_PASSWORD}@redis.internal:6379`,
  '--set=stores.kafkaBrokers=kafka-0.internal:9092\\,kafka-1.internal:9092',
];
const EXAMPLE = path.join(REPO_ROOT, 'deploy/helm/examples/production.yaml');
const RELEASE = 'acme';
const componentName = (service: string) => `${RELEASE}-platform-${service}`;

type Container = {
  name: string;
  env?: {
    name: string;
    value?: string;
    valueFrom?: { secretKeyRef?: { name: string; key: string } };
  }[];
  envFrom?: { configMapRef?: { name: string }; secretRef?: { name: string } }[];
  ports?: { name: string; containerPort: number }[];
  readinessProbe?: { httpGet?: { path: string; port: string | number } };
  livenessProbe?: { httpGet?: { path: string; port: string | number } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: Record<string, unknown>;
};

const podOf = (deployment: Manifest) => deployment.spec.template.spec;
const containerOf = (deployment: Manifest): Container => podOf(deployment).containers[0];

/** A Deployment's environment as its container gets it, from the rendered ConfigMaps and Secrets. */
function environmentOf(manifests: Manifest[], deployment: Manifest): Record<string, string> {
  const container = containerOf(deployment);
  const secretData = (name: string): Record<string, string> =>
    Object.fromEntries(
      Object.entries(named(manifests, 'Secret', name).data ?? {}).map(([key, value]) => [
        key,
        Buffer.from(value, 'base64').toString('utf8'),
      ]),
    );
  const environment: Record<string, string> = {};
  for (const source of container.envFrom ?? []) {
    if (source.configMapRef) {
      Object.assign(environment, named(manifests, 'ConfigMap', source.configMapRef.name).data);
    }
    if (source.secretRef) Object.assign(environment, secretData(source.secretRef.name));
  }
  for (const variable of container.env ?? []) {
    const ref = variable.valueFrom?.secretKeyRef;
    const value = ref ? secretData(ref.name)[ref.key] : variable.value;
    if (value === undefined) throw new Error(`${variable.name}: no such key ${ref?.key}`);
    environment[variable.name] = value;
  }
  return environment;
}

describe('the Helm chart (deploy/helm/platform)', () => {
  let manifests: Manifest[];
  beforeAll(async () => {
    manifests = await renderChart(INLINE, RELEASE);
  });

  it('renders a Deployment, Service, ConfigMap, HorizontalPodAutoscaler and PodDisruptionBudget per service', () => {
    for (const kind of [
      'Deployment',
      'Service',
      'ConfigMap',
      'HorizontalPodAutoscaler',
      'PodDisruptionBudget',
    ]) {
      expect(
        ofKind(manifests, kind)
          .map((manifest) => manifest.metadata.name)
          .sort(),
      ).toEqual(SERVICES.map(componentName).sort());
    }
  });

  it('probes every Deployment for readiness on /health/ready and liveness on /health/live, and sets its resources', () => {
    for (const deployment of ofKind(manifests, 'Deployment')) {
      const container = containerOf(deployment);
      const http = container.ports?.find((port) => port.name === 'http');
      expect(http?.containerPort).toEqual(expect.any(Number));
      expect(container.readinessProbe?.httpGet).toEqual({ path: '/health/ready', port: 'http' });
      expect(container.livenessProbe?.httpGet).toEqual({ path: '/health/live', port: 'http' });
      for (const bound of ['requests', 'limits'] as const) {
        expect(container.resources?.[bound]).toEqual({
          cpu: expect.any(String),
          memory: expect.any(String),
        });
      }
    }
  });

  it('runs every pod as a non-root user on a read-only root filesystem without privilege escalation', () => {
    for (const deployment of ofKind(manifests, 'Deployment')) {
      const pod = podOf(deployment);
      expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
      expect(pod.automountServiceAccountToken).toBe(false);
      expect(containerOf(deployment).securityContext).toMatchObject({
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ['ALL'] },
      });
    }
  });

  it('autoscales the gateway and every subgraph, and budgets disruptions of their pods', () => {
    for (const service of SERVICES) {
      const deployment = named(manifests, 'Deployment', componentName(service));
      const podLabels = deployment.spec.template.metadata.labels;
      const hpa = named(manifests, 'HorizontalPodAutoscaler', componentName(service));
      expect(hpa.spec.scaleTargetRef).toEqual({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        name: deployment.metadata.name,
      });
      expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
      expect(hpa.spec.maxReplicas).toBeGreaterThanOrEqual(hpa.spec.minReplicas);
      // The HPA owns the replica count; a fixed one would fight it on every upgrade.
      expect(deployment.spec.replicas).toBeUndefined();
      const pdb = named(manifests, 'PodDisruptionBudget', componentName(service));
      expect(podLabels).toMatchObject(pdb.spec.selector.matchLabels);
      expect(pdb.spec.maxUnavailable).toBe(1);
      const serviceManifest = named(manifests, 'Service', componentName(service));
      expect(podLabels).toMatchObject(serviceManifest.spec.selector);
      // Selectors tell the five apart.
      expect(pdb.spec.selector.matchLabels['app.kubernetes.io/component']).toBe(service);
    }
  });

  it('sets fixed replicas and no autoscaler for a service whose autoscaling is off', async () => {
    const rendered = await renderChart([
      ...INLINE,
      '--set=services.analytics.autoscaling.enabled=false',
      '--set=services.analytics.replicas=3',
    ]);
    expect(named(rendered, 'Deployment', componentName('analytics')).spec.replicas).toBe(3);
    expect(
      ofKind(rendered, 'HorizontalPodAutoscaler').map((hpa) => hpa.metadata.name),
    ).not.toContain(componentName('analytics'));
  });

  it('puts no secret value and no store URL in any ConfigMap', () => {
    const configMaps = ofKind(manifests, 'ConfigMap');
    const text = JSON.stringify(configMaps);
    for (const secret of [...Object.values(SECRETS), STORE_PASSWORD]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(Buffer.from(secret).toString('base64'));
    }
    for (const configMap of configMaps) {
      expect(Object.keys(configMap.data ?? {})).not.toEqual(
        expect.arrayContaining([
          expect.stringMatching(/SECRET|PASSWORD|DATABASE_URL|MONGO_URL|REDIS_URL/),
        ]),
      );
    }
    const keys = named(manifests, 'Secret', `${RELEASE}-platform-keys`);
    expect(Object.keys(keys.data ?? {}).sort()).toEqual(['GATEWAY_SECRET', 'JWT_SECRET']);
  });

  it.each(SERVICES)(
    'gives %s every variable its config schema requires, from its ConfigMap and the Secrets, and no store on loopback',
    (service) => {
      const deployment = named(manifests, 'Deployment', componentName(service));
      const environment = environmentOf(manifests, deployment);
      const config = loadServiceConfig[service](environment) as { PORT: number };
      expect(loopbackSettings(config)).toEqual([]);
      // The port it listens on is the one its probes, Service and container declare.
      const http = containerOf(deployment).ports?.find((port) => port.name === 'http');
      expect(config.PORT).toBe(http?.containerPort);
      expect(environment.SERVICE).toBe(service);
    },
  );

  it('routes the gateway to every subgraph of the supergraph through its in-cluster Service', () => {
    const gateway = named(manifests, 'Deployment', componentName('gateway'));
    const config = loadServiceConfig.gateway(environmentOf(manifests, gateway)) as {
      SUBGRAPH_URLS: Record<string, string>;
    };
    const supergraph = readFileSync(path.join(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8');
    const names = [...supergraph.matchAll(/@join__graph\(name: "([^"]+)"/g)].map((m) => m[1]!);
    expect(names.sort()).toEqual([...SUBGRAPHS].sort());
    for (const name of names) {
      const service = named(manifests, 'Service', componentName(name));
      const port = service.spec.ports.find((p: { name: string }) => p.name === 'http').port;
      expect(config.SUBGRAPH_URLS[name]).toBe(`http://${service.metadata.name}:${port}/graphql`);
    }
  });

  it('announces each pod metrics port where the process serves /metrics', () => {
    for (const service of SERVICES) {
      const deployment = named(manifests, 'Deployment', componentName(service));
      const environment = environmentOf(manifests, deployment);
      const metricsPort = service === 'gateway' ? environment.METRICS_PORT : environment.PORT;
      expect(deployment.spec.template.metadata.annotations).toMatchObject({
        'prometheus.io/scrape': 'true',
        'prometheus.io/path': '/metrics',
        'prometheus.io/port': metricsPort,
      });
    }
    expect(
      environmentOf(manifests, named(manifests, 'Deployment', componentName('gateway'))),
    ).toMatchObject({
      METRICS_HOST: '0.0.0.0',
    });
  });

  it('uses existing Secrets instead of making its own when told to (the production example)', async () => {
    const example = parse(readFileSync(EXAMPLE, 'utf8')) as {
      secrets: { existingSecret: string };
      stores: { existingSecret: string };
    };
    const rendered = await renderChart(['-f', EXAMPLE], RELEASE);
    expect(ofKind(rendered, 'Secret')).toEqual([]);
    for (const deployment of ofKind(rendered, 'Deployment')) {
      const refs = (containerOf(deployment).env ?? []).map(
        (variable) => variable.valueFrom?.secretKeyRef?.name,
      );
      // Every service gets GATEWAY_SECRET from one and a store URL from the other.
      expect(new Set(refs)).toEqual(
        new Set([example.secrets.existingSecret, example.stores.existingSecret]),
      );
    }
  });

  it('refuses to render without the keys, or with a key shorter than 32 characters, naming the value', async () => {
    const withoutKeys = INLINE.filter((arg) => !arg.includes('Secret='));
    expect(await renderFailure(withoutKeys)).toContain('secrets.jwtSecret is required');
    expect(
      await renderFailure([
        ...withoutKeys,
        `--set=secrets.jwtSecret=short`,
        `--set=secrets.gatewaySecret=${SECRETS.gatewaySecret}`,
      ]),
    ).toContain('at least 32 characters');
    const withoutRedis = INLINE.filter((arg) => !arg.includes('redisUrl'));
    expect(await renderFailure(withoutRedis)).toContain('stores.redisUrl is required');
  });

  it('refuses a misspelt or mistyped value instead of ignoring it (values.schema.json)', async () => {
    expect(
      await renderFailure([...INLINE, '--set=services.gateway.autoscalling.enabled=false']),
    ).toContain("additional properties 'autoscalling' not allowed");
    expect(await renderFailure([...INLINE, '--set=services.user.port=http'])).toContain(
      "at '/services/user/port': got string, want integer",
    );
  });

  it('passes helm lint --strict, with inline values and with the production example', async () => {
    await expect(helm(['lint', '--strict', CHART, ...INLINE])).resolves.toContain(
      '0 chart(s) failed',
    );
    await expect(helm(['lint', '--strict', CHART, '-f', EXAMPLE])).resolves.toContain(
      '0 chart(s) failed',
    );
  });
});
