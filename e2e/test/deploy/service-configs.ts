import { fileURLToPath } from 'node:url';
import { loadAnalyticsConfig } from '@platform/analytics-subgraph';
import { loadDataConfig } from '@platform/data-subgraph';
import { loadGatewayConfig } from '@platform/gateway';
import { loadNotificationConfig } from '@platform/notification-subgraph';
import { loadUserConfig } from '@platform/user-subgraph';

/**
 * The five services as the deployment files name them (docker-compose.yml, the Helm chart, the
 * image's SERVICE), and each one's own config loader, so the deployment tests parse the
 * environment a deployment gives a service exactly as the service does at start-up.
 */
export const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));

export const SUBGRAPHS = ['user', 'data', 'analytics', 'notification'] as const;
export const SERVICES = ['gateway', ...SUBGRAPHS] as const;
export type ServiceName = (typeof SERVICES)[number];

/** Each loader throws a ConfigError naming every missing or malformed variable. */
export const loadServiceConfig: Record<ServiceName, (env: NodeJS.ProcessEnv) => object> = {
  gateway: loadGatewayConfig,
  user: loadUserConfig,
  data: loadDataConfig,
  analytics: loadAnalyticsConfig,
  notification: loadNotificationConfig,
};

/**
 * The settings of a loaded config whose value names a loopback address. Every default that
 * points at a store is the local stack's (127.0.0.1), so a deployment that forgets a store's URL
 * still parses; and a service listening on loopback (HOST, METRICS_HOST) is unreachable from
 * outside its container. Either way, in a deployment this list must be empty.
 */
export function loopbackSettings(config: object): string[] {
  return Object.entries(config)
    .filter(([, value]) => /\b(127\.0\.0\.1|localhost)\b|\[::1\]/.test(JSON.stringify(value)))
    .map(([name]) => name);
}
