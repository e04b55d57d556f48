export { compose, CompositionError, type ComposedSchemas } from './compose.js';
export {
  readRoverConfig,
  RoverConfigError,
  DEFAULT_ROVER_CONFIG_PATH,
  type RoverConfig,
  type SubgraphSource,
} from './rover-config.js';
export {
  schemaFiles,
  staleSchemaFiles,
  writeSchemaFiles,
  DEFAULT_SCHEMA_DIR,
  GENERATED_HEADER,
  type SchemaFile,
} from './schema-files.js';
