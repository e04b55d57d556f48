export { configModules, type ConfigModule } from './config-modules.js';
export {
  CONFIGURATION_REFERENCE,
  type ConfigurationReference,
  generateConfigurationReference,
  type ReferenceOptions,
} from './generate.js';
