import { z } from 'zod';

export const ordersConfigSchema = z.object({
  /**
   * Comma-separated host:port list (see @platform/events's README,
   * "Consumer group timing").
   */
  KAFKA_BROKERS: z.string().default('127.0.0.1:9092'),
  ORDERS_UNDOCUMENTED: z.coerce.number().positive().default(1),
});
