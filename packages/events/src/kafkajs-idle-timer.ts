import { createRequire } from 'node:module';

/**
 * kafkajs 2.2.4 (the last release) re-arms a timer in every broker connection's request queue
 * forever once the connection has served a request, even with nothing queued: `setTimeout` with a
 * negative delay, so about a thousand wake-ups a second per connection
 * (https://github.com/tulios/kafkajs/issues/1556, /issues/1704; the fix of /pull/1667 is
 * unreleased). An idle consumer burned 43 ms of CPU per second with it and 5 ms with this fix
 * (same minute, bench/profiles/subgraphs.md), in every process that talks to Kafka. This is that
 * fix: a check is scheduled only while requests wait, at the end of the broker's throttle or after
 * the library's 10 ms interval. `push` schedules when it queues, and every fulfilled request checks
 * the queue, as before.
 */
const CHECK_PENDING_REQUESTS_INTERVAL_MS = 10;

interface RequestQueue {
  pending: unknown[];
  throttledUntil: number;
  throttleCheckTimeoutId: NodeJS.Timeout | null;
  checkPendingRequests(): void;
  scheduleCheckPendingRequests(): void;
}

const require = createRequire(import.meta.url);
const { prototype } = require('kafkajs/src/network/requestQueue/index.js') as {
  prototype: RequestQueue;
};

prototype.scheduleCheckPendingRequests = function scheduleCheckPendingRequests(this: RequestQueue) {
  if (this.pending.length === 0 || this.throttleCheckTimeoutId) return;
  const untilThrottleEnds = this.throttledUntil - Date.now();
  this.throttleCheckTimeoutId = setTimeout(
    () => {
      this.throttleCheckTimeoutId = null;
      this.checkPendingRequests();
    },
    untilThrottleEnds > 0 ? untilThrottleEnds : CHECK_PENDING_REQUESTS_INTERVAL_MS,
  );
};
