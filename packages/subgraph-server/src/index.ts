export { startSubgraphServer, type SubgraphServer, type SubgraphServerOptions } from './server.js';
export {
  gatewaySignatureGuard,
  type GatewaySignatureGuardOptions,
} from './gateway-signature-guard.js';
export { formatSubgraphError } from './format-error.js';
export type { RequestContext } from './request-context.js';
export { runUntilSignalled, type SignalOptions } from './run-until-signalled.js';
export {
  ENTITY_TAGS_EXTENSION,
  ENTITY_TAGS_REQUEST_HEADER,
  entityTagsPlugin,
} from './entity-tags.js';
export {
  runService,
  type RunningService,
  type RunServiceOptions,
} from './processes/run-service.js';
export { workerProcessesSettings, type WorkerProcessesSettings } from './processes/config.js';
export { subscriptionsViaGateway } from './subscriptions-via-gateway.js';
export { RestartBackoff } from './processes/restart-backoff.js';
export {
  superviseServiceProcess,
  type ServiceSpec,
  type SupervisedService,
  type SupervisionPolicy,
} from './processes/service-process.js';
