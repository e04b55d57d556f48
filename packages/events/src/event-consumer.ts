import { Partitioners, type Kafka, type KafkaMessage } from 'kafkajs';
import type { Logger } from '@platform/logger';
import { DEFAULT_CONSUMER_TIMING, type ConsumerTiming } from './consumer-timing.js';
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
  /** Session, heartbeat and rebalance timing (consumerTiming of the service's settings). */
  timing?: ConsumerTiming;
  /** How long `stop` waits for the message in hand and the group leave before giving up. */
  stopTimeoutMs?: number;
}

export interface EventConsumer {
  /**
   * Leaves the group (after the message in hand), so the others take its partitions at once
   * instead of after a session timeout. Bounded by stopTimeoutMs: a handler stuck on a store
   * that is down cannot hold a shutdown; the group then drops this member by its session timeout.
   */
  stop: () => Promise<void>;
  /**
   * Resolves once the group is joined and the first fetch has pinned every assigned partition's
   * offset: an event produced after that is consumed even with `fromBeginning: false`.
   */
  consuming?: Promise<void>;
}

const DEFAULT_STOP_TIMEOUT_MS = 5_000;

/**
 * Runs a consumer group over the event topics. A message that is not a valid event (not JSON, an
 * unknown type, data that fails its schema) goes to the dead-letter topic with the reason, and the
 * consumer goes on with the next one.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const { kafka, groupId, logger, handle } = options;
  const consumer = kafka.consumer({
    groupId,
    allowAutoTopicCreation: false,
    ...(options.timing ?? DEFAULT_CONSUMER_TIMING),
  });
  // kafkajs resolves `run()` before the join; with one broker (the stack's) the first FETCH after
  // GROUP_JOIN comes after every assigned partition's offset was resolved (seekOffsets).
  const consuming = new Promise<void>((resolve) => {
    let joined = false;
    const offJoin = consumer.on(consumer.events.GROUP_JOIN, () => (joined = true));
    const offFetch = consumer.on(consumer.events.FETCH, () => {
      if (!joined) return;
      offJoin();
      offFetch();
      resolve();
    });
  });
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

  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  return {
    consuming,
    stop: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timed out'>((resolve) => {
        timer = setTimeout(() => resolve('timed out'), stopTimeoutMs);
      });
      const outcome = await Promise.race([
        Promise.all([consumer.disconnect(), deadLetters.disconnect()]),
        timedOut,
      ]);
      clearTimeout(timer);
      if (outcome === 'timed out') {
        logger.warn(
          { groupId, stopTimeoutMs },
          'consumer did not leave its group in time; the group drops it by its session timeout',
        );
      }
    },
  };
}
