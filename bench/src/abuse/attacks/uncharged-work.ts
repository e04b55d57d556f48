import type { Attack } from '../attack.js';
import { postFrom, type RawAnswer } from '../anonymous-http.js';
import { repeater } from '../repeat.js';
import { count, errorCodesOf, type Tally } from '../tally.js';

const TYPENAME_BATCH = 1_000;
const BIG_DOCUMENTS = 10;
const BIG_DOCUMENT_TOKENS = 520_000;

/**
 * A document of `tokens` tokens that parses and fails validation (no field `a`): one list
 * argument of integers, so parsing and validating stay linear in its length.
 */
export function bigDocument(tokens = BIG_DOCUMENT_TOKENS): string {
  // `{`, `a`, `(`, `x`, `:`, `[`, the integers, `]`, `)`, `}`
  return `{ a(x: [${'0 '.repeat(Math.max(0, tokens - 9))}]) }`;
}

function codesOf(answer: RawAnswer): string[] {
  try {
    const parsed = JSON.parse(answer.body) as unknown;
    const answers = Array.isArray(parsed) ? parsed : [parsed];
    return [...new Set(answers.flatMap((one: { errors?: unknown }) => errorCodesOf(one?.errors)))];
  } catch {
    return ['not JSON'];
  }
}

/** Issue 12, defect 4: work the rate limiter never charges, from one anonymous address. */
export const unchargedWork: Attack = {
  id: 'uncharged-work',
  title: 'Uncharged work',
  description: `three anonymous loops from one address: batches of ${TYPENAME_BATCH.toLocaleString('en-US')} \`{ __typename }\`, ${BIG_DOCUMENTS} parallel documents of ${BIG_DOCUMENT_TOKENS.toLocaleString('en-US')} tokens (about 1 MB each, under the body limit) that fail validation, and single \`{ __typename }\` one after another (each should cost at least one token)`,
  async prepare(context) {
    const sent: Tally = {};
    const got: Tally = {};
    const remaining: string[] = [];
    const typename = JSON.stringify({ query: '{ __typename }' });
    const typenameBatch = JSON.stringify(
      Array.from({ length: TYPENAME_BATCH }, () => ({ query: '{ __typename }' })),
    );
    const big = JSON.stringify({ query: bigDocument() });
    const loops = repeater((error) => count(got, `no answer (${String(error).slice(0, 60)})`));
    const record = (what: string, answer: RawAnswer) => {
      const codes = codesOf(answer);
      count(got, `${what}: HTTP ${answer.status}${codes.length ? ` ${codes.join(', ')}` : ''}`);
    };

    const sendTypenameBatch = async () => {
      count(sent, `batches of ${TYPENAME_BATCH} { __typename }`);
      const answer = await postFrom(context.anonymousAddress, context.gatewayUrl, typenameBatch);
      record('__typename batch', answer);
      const left = answer.headers['ratelimit-remaining'];
      if (typeof left === 'string') remaining.push(left);
    };
    const singleRemaining: string[] = [];
    const sendOneTypename = async () => {
      count(sent, 'single { __typename }');
      const answer = await postFrom(context.anonymousAddress, context.gatewayUrl, typename);
      record('single __typename', answer);
      const left = answer.headers['ratelimit-remaining'];
      if (typeof left === 'string') singleRemaining.push(left);
    };
    const sendBigDocuments = async () => {
      count(sent, `${BIG_DOCUMENT_TOKENS.toLocaleString('en-US')}-token documents`, BIG_DOCUMENTS);
      const answers = await Promise.allSettled(
        Array.from({ length: BIG_DOCUMENTS }, () =>
          postFrom(context.anonymousAddress, context.gatewayUrl, big),
        ),
      );
      for (const answer of answers) {
        if (answer.status === 'fulfilled') record('big document', answer.value);
        else count(got, `big document: no answer`);
      }
    };

    return {
      begin() {
        loops.repeat(sendTypenameBatch);
        loops.repeat(sendBigDocuments);
        loops.repeat(sendOneTypename);
      },
      async stop() {
        await loops.stop();
        const notes = [
          `big document: ${(Buffer.byteLength(big) / 1e6).toFixed(2)} MB`,
          remaining.length > 0
            ? `RateLimit-Remaining on the __typename batches: first ${remaining[0]}, last ${remaining.at(-1)}`
            : 'no RateLimit-Remaining header on the __typename batches',
          singleRemaining.length > 0
            ? `RateLimit-Remaining on the single { __typename }: first ${singleRemaining[0]}, last ${singleRemaining.at(-1)}`
            : 'no RateLimit-Remaining header on the single { __typename }',
        ];
        return { sent, got, notes };
      },
    };
  },
};
