import { randomUUID } from 'node:crypto';
import type { Attack } from '../attack.js';
import { repeater } from '../repeat.js';
import { count, errorCodesOf, type Tally } from '../tally.js';

const SIZES = [500, 1000] as const;
const OPERATION = 'query U($id:ID!){ user(id:$id){ id } }';
const BATCH_TIMEOUT_MS = 60_000;

function batchBody(size: number): string {
  return JSON.stringify(
    Array.from({ length: size }, () => ({ query: OPERATION, variables: { id: randomUUID() } })),
  );
}

/** Issue 12, defect 2: HTTP batches of user lookups by random ids, one after another. */
export const batch: Attack = {
  id: 'batch',
  title: 'One HTTP batch',
  description: `POST arrays of ${SIZES.join(' and ')} \`${OPERATION}\` with random uuids (sizes alternating), one batch in flight, with the attacker's bearer token`,
  async prepare(context) {
    const sent: Tally = {};
    const got: Tally = {};
    let longestMs = 0;
    let next = 0;
    const loops = repeater((error) => count(got, `no answer (${String(error).slice(0, 60)})`));
    const sendBatch = async () => {
      const size = SIZES[next++ % SIZES.length]!;
      count(sent, `batches of ${size}`);
      const started = Date.now();
      const response = await fetch(context.gatewayUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: `Bearer ${context.attacker.token}`,
        },
        body: batchBody(size),
        signal: AbortSignal.timeout(BATCH_TIMEOUT_MS),
      });
      const text = await response.text();
      longestMs = Math.max(longestMs, Date.now() - started);
      count(got, `batch of ${size}: HTTP ${response.status}`);
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        count(got, `batch of ${size}: not JSON`);
        return;
      }
      if (Array.isArray(parsed)) {
        for (const answer of parsed as Array<{ errors?: unknown }>) {
          const codes = new Set(errorCodesOf(answer?.errors));
          if (codes.size === 0) count(got, 'operations answered clean');
          for (const code of codes) count(got, `operations with ${code}`);
        }
      } else {
        for (const code of new Set(errorCodesOf((parsed as { errors?: unknown })?.errors))) {
          count(got, `batch of ${size} refused: ${code}`);
        }
      }
    };
    return {
      begin: () => loops.repeat(sendBatch),
      async stop() {
        await loops.stop();
        return { sent, got, notes: [`longest batch: ${(longestMs / 1000).toFixed(1)} s`] };
      },
    };
  },
};
