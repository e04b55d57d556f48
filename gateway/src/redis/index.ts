export { connectRedis, type RedisRole } from './connection.js';
export { redisOutage, type RedisOutage } from './outage.js';
