import { isDeepStrictEqual } from 'node:util';
import { eventually } from '@platform/testing';
import { postGraphQL, type GraphQLAnswer } from './graphql-client.js';
import { DASHBOARD_QUERY } from './query.js';

/** The target's answer to the benchmark query; anything but a 200 with data and no errors fails. */
export async function askDashboard(url: string, token: string, label: string) {
  const answer = await postGraphQL(url, DASHBOARD_QUERY, {}, token);
  if (answer.status !== 200 || answer.errors?.length || !answer.data) {
    throw new Error(
      `${label} did not answer the query cleanly (HTTP ${answer.status}): ${answer.body.slice(0, 2000)}`,
    );
  }
  return answer;
}

/**
 * The same, retried for a while: right after a run a target may still be shedding load (a
 * subgraph breaker open after timeouts), which the run's error count already shows.
 */
export async function askDashboardUntilClean(
  url: string,
  token: string,
  label: string,
  timeoutMs = 20_000,
) {
  return eventually(() => askDashboard(url, token, label), { timeoutMs, intervalMs: 500 });
}

/** Fails loudly when a target's data differs from the reference (a)'s. */
export function expectSameData(reference: GraphQLAnswer, answer: GraphQLAnswer, label: string) {
  if (!isDeepStrictEqual(answer.data, reference.data)) {
    throw new Error(
      `${label} answered with different data than (a):\n` +
        `  (a): ${JSON.stringify(reference.data).slice(0, 1500)}\n` +
        `  ${label}: ${JSON.stringify(answer.data).slice(0, 1500)}`,
    );
  }
}
