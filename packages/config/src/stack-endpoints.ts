import { z } from 'zod';
import { loadConfig } from './load-config.js';
import { port } from './env-types.js';

/** Where the local stack listens: every service builds its default URLs from these ports. */
export const stackPortsConfigSchema = z.object({
  /** The local stack's PostgreSQL port. */
  POSTGRES_PORT: port(55432),
  /** The local stack's Redis port. */
  REDIS_PORT: port(56379),
  /** The local stack's Kafka broker port. */
  KAFKA_PORT: port(59092),
  /** The local stack's Kafka KRaft controller port. */
  KAFKA_CONTROLLER_PORT: port(59093),
  /** The local stack's MongoDB-wire (FerretDB) port. */
  MONGO_PORT: port(57017),
});

export interface StackEndpoints {
  postgres: { port: number; url: (database: string) => string };
  redis: { port: number; url: string };
  kafka: { port: number; controllerPort: number; brokers: string[] };
  mongo: { port: number; url: string };
}

/**
 * Where the local stack (`npm run stack -- up`) listens. The stack script, the default connection
 * URLs of every service and the tests all read the same variables, so moving a port is one setting.
 */
export function stackEndpoints(source: NodeJS.ProcessEnv = process.env): StackEndpoints {
  const ports = loadConfig(stackPortsConfigSchema, source);
  return {
    postgres: {
      port: ports.POSTGRES_PORT,
      url: (database) => `postgres://platform@127.0.0.1:${ports.POSTGRES_PORT}/${database}`,
    },
    redis: { port: ports.REDIS_PORT, url: `redis://127.0.0.1:${ports.REDIS_PORT}` },
    kafka: {
      port: ports.KAFKA_PORT,
      controllerPort: ports.KAFKA_CONTROLLER_PORT,
      brokers: [`127.0.0.1:${ports.KAFKA_PORT}`],
    },
    mongo: { port: ports.MONGO_PORT, url: `mongodb://127.0.0.1:${ports.MONGO_PORT}/` },
  };
}
