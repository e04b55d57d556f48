export { connectRedis, type RedisRole } from './connection.js';
export { degradingCommands, redisOutage, type RedisOutage } from './outage.js';
export { TIMED_OUT, withinDeadline } from './deadline.js';
