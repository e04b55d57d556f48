import { setTimeout as sleep } from 'node:timers/promises';
import { stackEndpoints } from '@platform/config';
import { createKafka } from '@platform/events';
import { createLogger } from '@platform/logger';

/**
 * Waits until each consumer group is Stable with a member: a subgraph is ready to serve before its
 * consumer has joined its group (which can take tens of seconds), and events caused before then
 * would arrive late and count as lost.
 */
export async function waitForConsumerGroups(groupIds: string[], timeoutMs = 120_000) {
  const kafka = createKafka(
    'bench-live-admin',
    stackEndpoints().kafka.brokers,
    createLogger('bench-live-admin', { level: 'error' }),
  );
  const admin = kafka.admin();
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const { groups } = await admin.describeGroups(groupIds);
      const waiting = groups.filter(
        (group) => group.state !== 'Stable' || group.members.length === 0,
      );
      if (waiting.length === 0) return;
      if (Date.now() > deadline) {
        throw new Error(
          `consumer groups not joined: ${waiting.map((group) => `${group.groupId} (${group.state})`).join(', ')}`,
        );
      }
      await sleep(500);
    }
  } finally {
    await admin.disconnect();
  }
}
