import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { stackEndpoints } from '@platform/config';
import { environmentOf, interpolateUnset, readComposeFile } from './compose-file.js';
import {
  loadServiceConfig,
  loopbackSettings,
  REPO_ROOT,
  SERVICES,
  SUBGRAPHS,
  type ServiceName,
} from './service-configs.js';

const compose = readComposeFile();
const { services } = compose;
const STORES = ['postgres', 'mongo', 'redis', 'kafka'];
const OBSERVABILITY = ['prometheus', 'grafana'];

/** The subgraphs the committed supergraph routes to, by name. */
function supergraphSubgraphs(): string[] {
  const supergraph = readFileSync(path.join(REPO_ROOT, 'schema/supergraph.graphql'), 'utf8');
  return [...supergraph.matchAll(/@join__graph\(name: "([^"]+)"/g)].map((match) => match[1]!);
}

const portOf = (service: ServiceName) => Number(environmentOf(services[service]!).PORT);

describe('docker-compose.yml', () => {
  it('interpolates without any variable set, so npm start and npm test work wherever Docker answers', () => {
    // Compose interpolates the whole file before applying profiles or picking services, so one
    // required variable would stop `npm run stack -- up` (packages/stack/src/cli.ts).
    expect(compose.text).not.toMatch(/\$\{[A-Za-z0-9_]+:?\?/);
    expect(() => interpolateUnset(compose.text)).not.toThrow();
    for (const [, reference] of compose.text.matchAll(/\$\{([^}]*)\}/g)) {
      expect(reference).toMatch(/^[A-Za-z_][A-Za-z0-9_]*:-/);
    }
  });

  it('runs PostgreSQL, MongoDB, Redis and Kafka in KRaft mode from their images on the local stack ports', () => {
    const stack = stackEndpoints({});
    expect(services.postgres?.image).toMatch(/^postgres:\d+/);
    expect(services.mongo?.image).toMatch(/^mongo:\d+/);
    expect(services.redis?.image).toMatch(/^redis:\d+/);
    expect(services.kafka?.image).toMatch(/^apache\/kafka:\d+/);
    // `npm run stack -- up` starts these four from this file where Docker answers; the services
    // and tests find them where they find the local stack.
    expect(services.postgres?.ports).toEqual([`127.0.0.1:${stack.postgres.port}:5432`]);
    expect(services.mongo?.ports).toEqual([`127.0.0.1:${stack.mongo.port}:27017`]);
    expect(services.redis?.ports).toEqual([`127.0.0.1:${stack.redis.port}:6379`]);
    expect(services.kafka?.ports).toEqual([`127.0.0.1:${stack.kafka.port}:19092`]);
    const kafka = environmentOf(services.kafka!);
    expect(kafka.KAFKA_PROCESS_ROLES).toBe('broker,controller');
    expect(kafka.KAFKA_ADVERTISED_LISTENERS).toContain(`HOST://127.0.0.1:${stack.kafka.port}`);
    expect(Object.keys(kafka).some((name) => name.includes('ZOOKEEPER'))).toBe(false);
  });

  it('runs the five services from the one image, each picked by SERVICE', () => {
    const images = new Set(SERVICES.map((name) => services[name]?.image));
    expect(images.size).toBe(1);
    for (const name of SERVICES) {
      expect(services[name]?.build).toBe('.');
      expect(environmentOf(services[name]!).SERVICE).toBe(name);
    }
    expect(Object.keys(services).sort()).toEqual([...STORES, ...SERVICES, ...OBSERVABILITY].sort());
  });

  it('gives every service a healthcheck', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, test: service.healthcheck?.test }).toEqual({ name, test: expect.anything() });
      expect(service.healthcheck?.disable).not.toBe(true);
    }
    for (const name of SERVICES) {
      expect(services[name]?.healthcheck?.test).toEqual([
        'CMD',
        '/app/deploy/image/service.sh',
        'healthcheck',
      ]);
    }
  });

  it('starts each service only once what it depends on is healthy', () => {
    for (const [name, service] of Object.entries(services)) {
      const dependsOn = service.depends_on ?? {};
      expect({ name, list: Array.isArray(dependsOn) }).toEqual({ name, list: false });
      for (const [dependency, { condition }] of Object.entries(dependsOn)) {
        expect({ name, dependency, exists: dependency in services }).toMatchObject({
          exists: true,
        });
        expect({ name, dependency, condition }).toEqual({
          name,
          dependency,
          condition: 'service_healthy',
        });
      }
    }
    // As `npm start` does: the gateway starts once every subgraph is ready.
    expect(Object.keys(services.gateway?.depends_on ?? {})).toEqual(
      expect.arrayContaining([...SUBGRAPHS]),
    );
  });

  it('runs the platform by default and Prometheus and Grafana only in the observability profile', () => {
    for (const [name, service] of Object.entries(services)) {
      const expected = OBSERVABILITY.includes(name) ? ['observability'] : undefined;
      expect({ name, profiles: service.profiles }).toEqual({ name, profiles: expected });
    }
  });

  it('publishes ports on loopback only, and of the platform only the gateway', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const port of service.ports ?? [])
        expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
    }
    expect(services.gateway?.ports).toEqual([`127.0.0.1:4000:${portOf('gateway')}`]);
    for (const name of SUBGRAPHS) expect(services[name]?.ports).toBeUndefined();
  });

  it.each(SERVICES)(
    'gives %s every variable its config schema requires, and no store on loopback',
    (name) => {
      const config = loadServiceConfig[name](environmentOf(services[name]!));
      // Parsing alone would pass with a store's URL forgotten: the defaults are the local
      // stack's, on the container's own loopback.
      expect(loopbackSettings(config)).toEqual([]);
    },
  );

  it('routes the gateway to every subgraph of the supergraph on its compose service', () => {
    const gateway = loadServiceConfig.gateway(environmentOf(services.gateway!)) as {
      SUBGRAPH_URLS: Record<string, string>;
    };
    const routes = Object.fromEntries(
      supergraphSubgraphs().map((name) => [name, gateway.SUBGRAPH_URLS[name]]),
    );
    expect(routes).toEqual(
      Object.fromEntries(SUBGRAPHS.map((name) => [name, `http://${name}:${portOf(name)}/graphql`])),
    );
  });

  it('has Prometheus scrape every process where it serves /metrics', () => {
    const prometheus = parse(
      readFileSync(path.join(REPO_ROOT, 'deploy/observability/prometheus/prometheus.yml'), 'utf8'),
    ) as {
      rule_files: string[];
      scrape_configs: { job_name: string; static_configs: { targets: string[] }[] }[];
    };
    // The rules, and not promtool's tests of them beside (alerts.test.yml).
    expect(prometheus.rule_files).toEqual(['/etc/prometheus/alerts.yml']);
    expect(services.prometheus?.volumes).toContain(
      './deploy/observability/prometheus:/etc/prometheus:ro',
    );
    const targets = Object.fromEntries(
      prometheus.scrape_configs.map((job) => [
        job.job_name,
        job.static_configs.flatMap((config) => config.targets),
      ]),
    );
    // The gateway's /metrics is on its internal listener, never on the public port.
    const gateway = environmentOf(services.gateway!);
    expect(gateway.METRICS_HOST).toBe('0.0.0.0');
    expect(targets).toEqual({
      gateway: [`gateway:${gateway.METRICS_PORT}`],
      ...Object.fromEntries(SUBGRAPHS.map((name) => [name, [`${name}:${portOf(name)}`]])),
    });
  });

  it('mounts only files of this repository that exist, and points Grafana at them', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const volume of service.volumes ?? []) {
        const source = volume.split(':')[0]!;
        if (!source.startsWith('.')) continue;
        expect({ name, source, exists: existsSync(path.join(REPO_ROOT, source)) }).toEqual({
          name,
          source,
          exists: true,
        });
      }
    }
    const provisioning = path.join(REPO_ROOT, 'deploy/observability/grafana/provisioning');
    const datasources = parse(
      readFileSync(path.join(provisioning, 'datasources/prometheus.yml'), 'utf8'),
    ) as { datasources: { url: string; uid: string }[] };
    expect(datasources.datasources).toEqual([
      expect.objectContaining({ uid: 'prometheus', url: 'http://prometheus:9090' }),
    ]);
    const dashboards = parse(
      readFileSync(path.join(provisioning, 'dashboards/platform.yml'), 'utf8'),
    ) as { providers: { options: { path: string } }[] };
    const dashboardMount = services.grafana?.volumes?.find((volume) =>
      volume.startsWith('./deploy/observability/grafana/dashboards:'),
    );
    expect(dashboardMount?.split(':')[1]).toBe(dashboards.providers[0]?.options.path);
  });
});
