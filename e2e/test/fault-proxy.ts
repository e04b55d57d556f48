import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A TCP proxy in front of a real subgraph, for the faults a gateway meets in production: `stop()`
 * closes the port and cuts every open connection (the subgraph's process is gone: connections
 * refused), `start()` listens on the same port again (the process is back, at the address the
 * gateway routes to), and `delayMs` holds each answer that long (a subgraph under load).
 */
export class FaultProxy {
  /** How long each chunk the subgraph answers is held before it is passed on. */
  delayMs = 0;
  private server: net.Server | undefined;
  private readonly sockets = new Set<net.Socket>();
  private port = 0;

  constructor(private readonly target: URL) {}

  /** What the gateway routes to: the target's path on the proxy's port. */
  get url(): string {
    return `http://127.0.0.1:${this.port}${this.target.pathname}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = net.createServer((client) => this.relay(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private relay(client: net.Socket): void {
    const upstream = net.connect(Number(this.target.port), this.target.hostname);
    for (const socket of [client, upstream]) {
      this.sockets.add(socket);
      socket.on('error', () => {}); // 'close' follows and cuts the other side
      socket.on('close', () => {
        this.sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.on('data', (chunk) => upstream.write(chunk));
    // Each chunk is held until its own due time, in order, so a delay never reorders an answer.
    let previous = Promise.resolve();
    upstream.on('data', (chunk) => {
      const due = Date.now() + this.delayMs;
      previous = previous.then(async () => {
        const wait = due - Date.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        if (!client.destroyed) client.write(chunk);
      });
    });
  }
}
