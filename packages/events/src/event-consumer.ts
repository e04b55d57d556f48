import { Partitioners, type Kafka, type KafkaMessage } from 'kafkajs';
import type { Logger } from '@platform/logger';
import { decodeEvent, InvalidEventError, type AnyEventEnvelope } from './envelope.js';
import { ALL_EVENT_TOPICS, DEAD_LETTER_TOPIC } from './topics.js';

export interface EventConsumerOptions {
  kafka: Kafka;
  groupId: string;
  logger: Logger;
  topics?: string[];
  /**
   * Where a group with no committed offset starts: the oldest event (the default: a new consumer
   * builds its state from all history) or only events from now on (a consumer whose job is about
   * the present, such as invalidating a cache that did not exist before).
   */
  fromBeginning?: boolean;
  /**
   * Applies one event. It must be idempotent by `event.id` (delivery is at least once) and must
   * have stored its effect when it resolves: the offset is committed only after that. A rejection
   * leaves the offset uncommitted and the consumer retries the message.
   */
  handle: (event: AnyEventEnvelope) => Promise<void>;
}

export interface EventConsumer {
  stop: () => Promise<void>;
}

/**
 * Runs a consumer group over the event topics. A message that is not a valid event (not JSON, an
 * unknown type, data that fails its schema) goes to the dead-letter topic with the reason, and the
 * consumer goes on with the next one.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const { kafka, groupId, logger, handle } = options;
  const consumer = kafka.consumer({ groupId, allowAutoTopicCreation: false });
  const deadLetters = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await Promise.all([consumer.connect(), deadLetters.connect()]);
  await consumer.subscribe({
    topics: options.topics ?? ALL_EVENT_TOPICS,
    fromBeginning: options.fromBeginning ?? true,
  });

  const sendToDeadLetter = async (
    topic: string,
    partition: number,
    message: KafkaMessage,
    reason: string,
  ) => {
    logger.warn(
      { topic, partition, offset: message.offset, reason },
      'event sent to dead-letter topic',
    );
    await deadLetters.send({
      topic: DEAD_LETTER_TOPIC,
      messages: [
        {
          key: message.key,
          value: message.value,
          headers: {
            'dead-letter-reason': reason,
            'dead-letter-consumer-group': groupId,
            'source-topic': topic,
            'source-partition': String(partition),
            'source-offset': message.offset,
          },
        },
      ],
    });
  };

  await consumer.run({
    autoCommit: false,
    eachMessage: async ({ topic, partition, message }) => {
      let event: AnyEventEnvelope | undefined;
      try {
        event = decodeEvent(message.value);
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        await sendToDeadLetter(topic, partition, message, error.reason);
      }
      if (event) await handle(event);
      await consumer.commitOffsets([
        { topic, partition, offset: (BigInt(message.offset) + 1n).toString() },
      ]);
    },
  });

  return {
    stop: async () => {
      await consumer.disconnect();
      await deadLetters.disconnect();
    },
  };
}
