import { STATUS_CODES } from 'node:http';
import type { RemoteGraphQLDataSource } from '@apollo/gateway';
import type { SubgraphAnswer } from './subgraph-fetch.js';

/** What RemoteGraphQLDataSource expects its fetcher to resolve with. */
type FetcherResponse = Awaited<ReturnType<RemoteGraphQLDataSource['fetcher']>>;

/**
 * A subgraph's answer, already read whole, as RemoteGraphQLDataSource reads it (status, headers,
 * `json()`). Not a WHATWG Response: that would wrap the bytes in a web stream again only for the
 * data source to read them back. Each reader gets its own instance (and so its own parsed JSON)
 * over the same bytes.
 */
export class SubgraphResponse implements FetcherResponse {
  readonly url: string;
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly redirected = false;
  readonly headers: Headers;
  bodyUsed = false;
  private readonly answer: SubgraphAnswer;

  constructor(answer: SubgraphAnswer) {
    this.answer = answer;
    this.url = answer.url;
    this.status = answer.status;
    this.statusText = STATUS_CODES[answer.status] ?? '';
    this.ok = answer.status >= 200 && answer.status < 300;
    this.headers = new Headers();
    for (const [name, value] of Object.entries(answer.headers)) {
      if (Array.isArray(value)) for (const one of value) this.headers.append(name, one);
      else if (value !== undefined) this.headers.set(name, value);
    }
  }

  async text(): Promise<string> {
    this.bodyUsed = true;
    const { body } = this.answer;
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength).toString('utf8');
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    this.bodyUsed = true;
    const { body } = this.answer;
    return body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  }

  clone(): SubgraphResponse {
    return new SubgraphResponse(this.answer);
  }
}
