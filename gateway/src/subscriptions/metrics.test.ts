import { describe, expect, it } from '@jest/globals';
import { deliveryLatencySeconds } from './metrics.js';

describe('delivery latency', () => {
  const now = Date.parse('2026-12-04T12:00:01.250Z');

  it('is the seconds from the event time the message carries to the send', () => {
    expect(deliveryLatencySeconds('2026-12-04T12:00:00.000Z', now)).toBe(1.25);
  });

  it('is not measured for a message that carries no time, or one that is not a time', () => {
    expect(deliveryLatencySeconds(undefined, now)).toBeUndefined();
    expect(deliveryLatencySeconds('yesterday', now)).toBeUndefined();
  });

  it('counts an event time ahead of this clock (skew between machines) as zero', () => {
    expect(deliveryLatencySeconds('2026-12-04T12:00:02.000Z', now)).toBe(0);
  });
});
