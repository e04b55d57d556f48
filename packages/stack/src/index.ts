export { kafkaService, type KafkaServiceOptions } from './services/kafka.js';
export { redisService, type RedisServiceOptions } from './services/redis.js';
export { stopProcess, waitUntilReady } from './processes.js';
export { runningServicePids } from './stack.js';
export type { StackService } from './service.js';
export { stackPath } from './paths.js';
