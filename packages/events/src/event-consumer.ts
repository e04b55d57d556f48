import { Partitioners, type Kafka, type KafkaMessage } from 'kafkajs';
import type { Registry } from 'prom-client';
import type { Logger } from '@platform/logger';
import { observeConsumer } from './consumer-metrics.js';
import { DEFAULT_CONSUMER_TIMING, type ConsumerTiming } from './consumer-timing.js';
import { decodeEvent, InvalidEventError, type AnyEventEnvelope } from './envelope.js';
import { ALL_EVENT_TOPICS, DEAD_LETTER_TOPIC } from './topics.js';
import { inProcessSpan, inProcessSpans } from './trace-context.js';

interface EventConsumerCommonOptions {
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
  /** Session, heartbeat and rebalance timing (consumerTiming of the service's settings). */
  timing?: ConsumerTiming;
  /** How long `stop` waits for the message in hand and the group leave before giving up. */
  stopTimeoutMs?: number;
  /**
   * The service's registry: the group's lag per partition and its dead letters
   * (`events_consumer_lag_messages`, `events_dead_letters_total`).
   */
  metrics?: Registry;
}

/** What a batch handler may call while it works. */
export interface EventBatchContext {
  /**
   * Tells the group coordinator this member is alive; call it between the steps of long work
   * (a batch that fans out to thousands of rows), so the session does not time out meanwhile.
   */
  heartbeat: () => Promise<void>;
}

/** One event at a time: the offset is committed after each. */
export interface EachEventOptions extends EventConsumerCommonOptions {
  /**
   * Applies one event. It must be idempotent by `event.id` (delivery is at least once) and must
   * have stored its effect when it resolves: the offset is committed only after that. A rejection
   * leaves the offset uncommitted and the consumer retries the message.
   */
  handle: (event: AnyEventEnvelope) => Promise<void>;
  handleBatch?: never;
}

/** Events in batches: the offset after a batch's last message is committed after each batch. */
export interface EventBatchOptions extends EventConsumerCommonOptions {
  /**
   * Applies the valid events of up to `maxBatchSize` consecutive messages of one partition, in
   * offset order (the invalid ones have gone to the dead-letter topic). The same rules as `handle`:
   * idempotent by `event.id` (the same event may even appear twice in one batch), effects stored
   * when it resolves, and a rejection retries the batch from its first message, since that is the
   * first uncommitted offset.
   */
  handleBatch: (events: AnyEventEnvelope[], context: EventBatchContext) => Promise<void>;
  /**
   * Most messages per `handleBatch` call; a larger fetch from Kafka is handed over in slices, each
   * committed before the next (default 500).
   */
  maxBatchSize?: number;
  handle?: never;
}

export type EventConsumerOptions = EachEventOptions | EventBatchOptions;

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

const DEFAULT_MAX_BATCH_SIZE = 500;

const nextOffset = (message: KafkaMessage) => (BigInt(message.offset) + 1n).toString();
const DEFAULT_STOP_TIMEOUT_MS = 5_000;

/**
 * Runs a consumer group over the event topics. A message that is not a valid event (not JSON, an
 * unknown type, data that fails its schema) goes to the dead-letter topic with the reason, and the
 * consumer goes on with the next one. With `handle` it commits after each message; with
 * `handleBatch` after each batch, which is what a consumer that writes per event needs to keep up.
 */
export async function startEventConsumer(options: EventConsumerOptions): Promise<EventConsumer> {
  const { kafka, groupId, logger } = options;
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
  const topics = options.topics ?? ALL_EVENT_TOPICS;
  const fromBeginning = options.fromBeginning ?? true;
  await consumer.subscribe({ topics, fromBeginning });
  const observed = options.metrics
    ? observeConsumer(options.metrics, { kafka, groupId, topics, fromBeginning, logger })
    : undefined;

  /** Sends messages of one partition to the dead-letter topic, in their order, with the reasons. */
  const sendToDeadLetter = async (
    topic: string,
    partition: number,
    invalid: Array<{ message: KafkaMessage; reason: string }>,
  ) => {
    for (const { message, reason } of invalid) {
      logger.warn(
        { topic, partition, offset: message.offset, reason },
        'event sent to dead-letter topic',
      );
    }
    await deadLetters.send({
      topic: DEAD_LETTER_TOPIC,
      messages: invalid.map(({ message, reason }) => ({
        key: message.key,
        value: message.value,
        headers: {
          'dead-letter-reason': reason,
          'dead-letter-consumer-group': groupId,
          'source-topic': topic,
          'source-partition': String(partition),
          'source-offset': message.offset,
        },
      })),
    });
    observed?.deadLettered(topic, invalid.length);
  };

  /** The valid events of some messages; the others are sent to the dead-letter topic first. */
  const decodeOrDeadLetter = async (topic: string, partition: number, messages: KafkaMessage[]) => {
    const events: AnyEventEnvelope[] = [];
    const invalid: Array<{ message: KafkaMessage; reason: string }> = [];
    for (const message of messages) {
      try {
        events.push(decodeEvent(message.value));
      } catch (error) {
        if (!(error instanceof InvalidEventError)) throw error;
        invalid.push({ message, reason: error.reason });
      }
    }
    if (invalid.length > 0) await sendToDeadLetter(topic, partition, invalid);
    return events;
  };

  if (options.handleBatch) {
    const { handleBatch } = options;
    const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
    await consumer.run({
      autoCommit: false,
      // Offsets are resolved by hand, slice by slice, only once a slice's effects are stored: a
      // failure or a stop mid-fetch leaves the rest to be fetched again from there.
      eachBatchAutoResolve: false,
      eachBatch: async ({
        batch,
        resolveOffset,
        commitOffsetsIfNecessary,
        heartbeat,
        isRunning,
        isStale,
      }) => {
        const { topic, partition } = batch;
        for (let start = 0; start < batch.messages.length; start += maxBatchSize) {
          // Stopping, or the partition was moved (a seek or a rebalance): leave the rest.
          if (!isRunning() || isStale()) return;
          const messages = batch.messages.slice(start, start + maxBatchSize);
          // Each message's span continues its producer's trace (trace-context.ts).
          await inProcessSpans(topic, partition, groupId, messages, async () => {
            const events = await decodeOrDeadLetter(topic, partition, messages);
            if (events.length > 0) await handleBatch(events, { heartbeat });
          });
          const last = messages[messages.length - 1]!;
          resolveOffset(last.offset);
          await commitOffsetsIfNecessary({
            topics: [{ topic, partitions: [{ partition, offset: nextOffset(last) }] }],
          });
          await heartbeat();
        }
      },
    });
  } else {
    const { handle } = options;
    await consumer.run({
      autoCommit: false,
      eachMessage: async ({ topic, partition, message }) => {
        await inProcessSpan({ topic, partition, groupId, message }, async () => {
          const [event] = await decodeOrDeadLetter(topic, partition, [message]);
          if (event) await handle(event);
        });
        await consumer.commitOffsets([{ topic, partition, offset: nextOffset(message) }]);
      },
    });
  }

  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS;
  return {
    consuming,
    stop: async () => {
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timed out'>((resolve) => {
        timer = setTimeout(() => resolve('timed out'), stopTimeoutMs);
      });
      const outcome = await Promise.race([
        Promise.all([consumer.disconnect(), deadLetters.disconnect(), observed?.stop()]),
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
