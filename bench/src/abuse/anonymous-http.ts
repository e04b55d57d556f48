import http from 'node:http';
import { randomInt } from 'node:crypto';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A loopback address of the run's own, 127.x.y.z (Linux routes all of 127/8 to lo). */
export function freshLoopbackAddress(): string {
  return `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(2, 255)}`;
}

const agent = new http.Agent({ keepAlive: true });

/**
 * A JSON POST without credentials from `localAddress`: fetch cannot choose the address it connects
 * from, node:http can, and the gateway keys anonymous budgets by the caller's address.
 */
export function postFrom(
  localAddress: string,
  url: string,
  body: string,
  timeoutMs = 60_000,
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        agent,
        localAddress,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: timeoutMs,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer in ${timeoutMs} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
