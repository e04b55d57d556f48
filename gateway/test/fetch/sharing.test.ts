import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { metricValue, postGraphQL } from '@platform/testing';
import type { RunningGateway } from '../../src/index.js';
import { bearer } from '../test-platform.js';
import { startSharingPlatform, type SharingPlatform } from './sharing-platform.js';

const DOCUMENTS = `query Documents($count: Int!, $authors: Int!) {
  documents(count: $count, authors: $authors) { id title author { id name } }
}`;

let platform: SharingPlatform;
/** OPERATION_DEDUP_ENABLED=false (the default). */
let plain: RunningGateway;
/** OPERATION_DEDUP_ENABLED=true. */
let deduplicating: RunningGateway;

beforeAll(async () => {
  platform = await startSharingPlatform();
  plain = await platform.startGateway({ RESPONSE_CACHE_ENABLED: 'false' });
  deduplicating = await platform.startGateway({
    RESPONSE_CACHE_ENABLED: 'false',
    OPERATION_DEDUP_ENABLED: 'true',
  });
});

afterAll(async () => {
  await platform?.stop();
});

beforeEach(() => {
  platform.delayMs = 0;
  Object.assign(platform.observed, { documentLists: 0, touches: 0, userLookups: [], whoamis: 0 });
});

type Documents = {
  documents: { id: string; title: string; author: { id: string; name: string } }[];
};

const listDocuments = async (
  gateway: RunningGateway,
  headers: Record<string, string>,
  variables = { count: 50, authors: 2 },
) => postGraphQL<Documents>(gateway.url, { query: DOCUMENTS, variables }, headers);

describe('entity representations within one _entities fetch', () => {
  it('sends the 2 authors of 50 documents once each, and gives every document its author', async () => {
    const { body } = await listDocuments(plain, await bearer('u-reader'));

    expect(body.errors).toBeUndefined();
    expect(platform.observed.userLookups).toEqual([['u0', 'u1']]);
    const documents = body.data!.documents;
    expect(documents).toHaveLength(50);
    documents.forEach((document, index) => {
      expect(document.author).toEqual({ id: `u${index % 2}`, name: `Author u${index % 2}` });
    });
    expect(
      await metricValue(plain.metricsUrl, 'gateway_entity_representations_deduplicated_total', {
        subgraph: 'people',
      }),
    ).toBeGreaterThanOrEqual(48);
  });
});

describe('identical client operations in flight (OPERATION_DEDUP_ENABLED)', () => {
  it('runs two concurrent identical queries of one user once, each charged and answered with its own headers', async () => {
    platform.delayMs = 300;
    const headers = await bearer('u-same');
    const decisions = () =>
      metricValue(deduplicating.metricsUrl, 'gateway_rate_limit_decisions_total', {
        outcome: 'allowed',
      });
    const decisionsBefore = await decisions();
    const [first, second] = await Promise.all([
      listDocuments(deduplicating, headers),
      listDocuments(deduplicating, headers),
    ]);

    expect(platform.observed.documentLists).toBe(1);
    expect(second.body).toEqual(first.body);
    expect(first.body.data!.documents).toHaveLength(50);
    // Each request was priced and charged by the rate limit on its own.
    expect((await decisions()) - decisionsBefore).toBe(2);
    for (const { headers: answer } of [first, second]) {
      expect(answer.get('ratelimit-remaining')).not.toBeNull();
    }
    expect(
      await metricValue(deduplicating.metricsUrl, 'gateway_operations_shared_total'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('runs the same query of two users twice', async () => {
    platform.delayMs = 300;
    const [first, second] = await Promise.all([
      listDocuments(deduplicating, await bearer('u-one')),
      listDocuments(deduplicating, await bearer('u-two')),
    ]);

    expect(platform.observed.documentLists).toBe(2);
    expect(first.body.errors).toBeUndefined();
    expect(second.body.errors).toBeUndefined();
  });

  it('runs queries with other variables apart', async () => {
    platform.delayMs = 300;
    const headers = await bearer('u-vars');
    await Promise.all([
      listDocuments(deduplicating, headers, { count: 3, authors: 1 }),
      listDocuments(deduplicating, headers, { count: 4, authors: 1 }),
    ]);

    expect(platform.observed.documentLists).toBe(2);
  });

  it('runs every mutation, however identical', async () => {
    platform.delayMs = 300;
    const headers = await bearer('u-writer');
    const touch = () => postGraphQL(deduplicating.url, { query: 'mutation { touch }' }, headers);
    const answers = await Promise.all([touch(), touch()]);

    expect(platform.observed.touches).toBe(2);
    for (const { body } of answers) expect(body.data).toEqual({ touch: 'touched' });
  });

  it('runs identical queries of one user twice when the setting is off', async () => {
    platform.delayMs = 300;
    const headers = await bearer('u-plain');
    await Promise.all([listDocuments(plain, headers), listDocuments(plain, headers)]);

    expect(platform.observed.documentLists).toBe(2);
  });

  it("shares anonymous callers' identical queries (the public scope)", async () => {
    platform.delayMs = 300;
    const whoami = () => postGraphQL(deduplicating.url, { query: '{ whoami }' });
    const answers = await Promise.all([whoami(), whoami()]);

    expect(platform.observed.whoamis).toBe(1);
    for (const { body } of answers) expect(body.data).toEqual({ whoami: 'nobody' });
  });
});
