import { describe, expect, it } from '@jest/globals';
import { multipartFraming, sseFraming } from './framing.js';

const result = {
  data: { notificationAdded: { id: 'n-1' } },
  extensions: { cursor: '42' },
};

describe('sseFraming', () => {
  it('frames a result as graphql-sse `next`, its extensions (the cursor) kept, and ends with `complete`', () => {
    expect(sseFraming.next(result)).toBe(`event: next\ndata: ${JSON.stringify(result)}\n\n`);
    expect(sseFraming.complete).toBe('event: complete\ndata:\n\n');
    expect(sseFraming.heartbeat).toMatch(/^:/);
  });

  it('ends a failed stream with its errors as a last `next`, then `complete`', () => {
    const errors = [{ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } }];
    expect(sseFraming.error(errors)).toBe(
      `event: next\ndata: ${JSON.stringify({ errors })}\n\nevent: complete\ndata:\n\n`,
    );
  });
});

describe('multipartFraming', () => {
  /** The body a client reads, split into parts on the boundary as Apollo Client and meros do. */
  const partsOf = (body: string) => {
    expect(body.startsWith('\r\n--graphql\r\n')).toBe(true);
    expect(body.endsWith('\r\n--graphql--\r\n')).toBe(true);
    return body
      .slice('\r\n--graphql'.length, -'--\r\n'.length)
      .split('\r\n--graphql')
      .filter((part) => part !== '')
      .map((part) => {
        const [headers, json] = part.split('\r\n\r\n');
        expect(headers).toBe('\r\nContent-Type: application/json');
        return JSON.parse(json!) as unknown;
      });
  };

  it('sends `{"payload": result}` parts (extensions kept), `{}` heartbeats and a closing boundary', () => {
    const body =
      multipartFraming.opening +
      multipartFraming.heartbeat +
      multipartFraming.next(result) +
      multipartFraming.complete;
    expect(partsOf(body)).toEqual([{}, { payload: result }]);
    expect(multipartFraming.contentType).toBe(
      'multipart/mixed;boundary="graphql";subscriptionSpec="1.0"',
    );
  });

  it('ends with a transport-level error `{"payload": null, "errors": [...]}`', () => {
    const errors = [{ message: 'Unauthorized', extensions: { code: 'UNAUTHENTICATED' } }];
    const body = multipartFraming.opening + multipartFraming.error(errors);
    expect(partsOf(body)).toEqual([{ payload: null, errors }]);
  });
});
