export {
  KAFKA_SASL_MECHANISMS,
  kafkaService,
  type KafkaSaslListener,
  type KafkaServiceOptions,
} from './services/kafka.js';
export { redisService, type RedisServiceOptions } from './services/redis.js';
export {
  startRedisCluster,
  stopRedisCluster,
  type RedisCluster,
  type RedisClusterNode,
  type RedisClusterOptions,
} from './services/redis-cluster.js';
export { stopProcess, waitUntilReady } from './processes.js';
export { ensureDebianPackages } from './system-packages.js';
export { runningServicePids } from './stack.js';
export type { StackService } from './service.js';
export { stackPath } from './paths.js';
