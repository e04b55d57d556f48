/**
 * What one delivery of a minimal `notificationAdded` selection costs the gateway's CPU, two ways:
 * graphql-js `execute` with the API schema and the published notification as root value, and the
 * projection compiled once per subscription (gateway/src/subscriptions/notifications/
 * message-projection.ts). Each then serialized as graphql-ws sends it. bench/notes/cheap-deliveries.md:
 *
 *   npx tsx --conditions=development bench/profiles/measure-projection.ts
 */
import { buildASTSchema, execute, parse } from 'graphql';
import { readFileSync } from 'node:fs';
import { readSubscriptionRequest } from '../../gateway/src/subscriptions/subscription-request.js';
import { readNotificationSubscription } from '../../gateway/src/subscriptions/notifications/subscription.js';
import { costModelFromSdl } from '../../gateway/src/cost/model.js';
import type { NotificationEntity } from '@platform/realtime';
import { repoRoot } from '../src/paths.js';

const sdl = readFileSync(`${repoRoot}/schema/api.graphql`, 'utf8');
const schema = buildASTSchema(parse(sdl));
const query = 'subscription { notificationAdded { id kind createdAt read message cursor } }';
const request = readSubscriptionRequest(schema, { query }, ['notificationAdded'], {
  costLimits: {},
  costModel: costModelFromSdl(sdl),
});
if (Array.isArray(request)) throw new Error(request.map((error) => error.message).join());
const subscription = readNotificationSubscription(request);
if (Array.isArray(subscription) || !subscription.projection) throw new Error('not servable');
const { projection } = subscription;
const document = parse(query);
const entity: NotificationEntity = {
  id: '123456',
  cursor: '00000000000000123456',
  kind: 'DOCUMENT_UPDATED',
  message: 'Document "Quarterly plan" was updated',
  read: false,
  createdAt: new Date().toISOString(),
  actor: { __typename: 'User', id: 'user-1' },
  subject: { __typename: 'Document', id: 'document-1' },
};

function perCall(label: string, run: () => unknown, count = 200_000) {
  for (let index = 0; index < 20_000; index++) run();
  const started = process.cpuUsage();
  for (let index = 0; index < count; index++) run();
  const used = process.cpuUsage(started);
  const micros = (used.user + used.system) / count;
  process.stdout.write(`${label}: ${micros.toFixed(2)} µs CPU per delivery\n`);
}

const frame = (payload: unknown) => JSON.stringify({ id: '1', type: 'next', payload });
perCall('execute(API schema, message as root value) + serialize', () =>
  frame(execute({ schema, document, rootValue: { notificationAdded: entity } })),
);
perCall('compiled projection + serialize', () =>
  frame({ data: { notificationAdded: projection(entity) } }),
);
