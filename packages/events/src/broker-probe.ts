import { connect } from 'node:net';

/**
 * Whether any of the brokers (`host:port`) accepts a TCP connection within `timeoutMs`. A cheap
 * look before asking kafkajs, whose clients retry a refused connection for several seconds
 * (and cannot be interrupted), which would hold up a shutdown while Kafka is down.
 */
export async function anyBrokerListening(brokers: string[], timeoutMs = 1000): Promise<boolean> {
  const answers = await Promise.all(brokers.map((broker) => listening(broker, timeoutMs)));
  return answers.includes(true);
}

function listening(broker: string, timeoutMs: number): Promise<boolean> {
  const separator = broker.lastIndexOf(':');
  const host = broker.slice(0, separator).replace(/^\[(.*)\]$/, '$1');
  const port = Number(broker.slice(separator + 1));
  if (separator < 1 || !Number.isInteger(port)) return Promise.resolve(false);
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (answer: boolean) => {
      socket.destroy();
      resolve(answer);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}
