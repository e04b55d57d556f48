export { loadConfig, ConfigError } from './load-config.js';
export { stackEndpoints, type StackEndpoints } from './stack-endpoints.js';
export * as env from './env-types.js';
export type { SettingsOf } from './settings.js';
