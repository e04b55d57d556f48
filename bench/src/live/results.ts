import type { CpuPerRequest } from '../cpu/per-request.js';
import type { Machine } from '../machine.js';
import { datedResults } from '../report/dated-results.js';
import type { SelectionId } from './selections.js';
import type { Verdict, LiveVerdict } from './verdicts.js';

/** One sockets x rate x selection cell. */
export interface LiveCell {
  sockets: number;
  rate: number;
  selection: SelectionId;
  seconds: number;
  /** Sockets acknowledged (connection_ack) of those asked for. */
  opened: number;
  openFailures: string[];
  /** Notifications caused (one Kafka event each) and received by their socket, once each. */
  expected: number;
  received: number;
  duplicates: number;
  /** `next` frames with errors and subscription errors. */
  errorFrames: number;
  errorSamples: string[];
  /** Sockets the server closed while measuring, by close code. */
  closes: Record<string, number>;
  /** From the event's occurredAt to the client's receipt. */
  latencyMs: { p50: number; p99: number; max: number };
  /**
   * From the notification's `createdAt` (stored by the notification consumer) to the receipt:
   * the gateway's share of the latency, the rest being Kafka and the consumer.
   */
  storedToReceivedMs: { p50: number; p99: number };
  /** Deliveries per second from the first event to the last receipt. */
  deliveredPerSecond: number;
  /** CPU ms per delivered notification of the gateway (target), each subgraph and the stores. */
  cpu: CpuPerRequest;
  /** CPU ms per delivered notification of the load generator (producer and client threads). */
  clientCpuMsPerDelivery: number;
  gatewayRss: {
    /** VmRSS with no socket open, after start-up. */
    beforeBytes: number;
    /** VmRSS with every socket open and subscribed, before any load. */
    idleBytes: number;
    idleBytesPerSocket: number;
    /** VmRSS right after the last event was sent; and the peak (VmHWM) of the cell. */
    loadBytes: number;
    peakBytes: number;
    loadBytesPerSocket: number;
  };
  producer: { achievedRate: number; maxLagMs: number };
  clientEventLoopDelay: { p99Ms: number; maxMs: number };
  clientWorkers: number;
  /** Why the load generator, not the platform, may have limited the cell; null when it did not. */
  clientSaturation: string | null;
  loadAverage: number;
}

export interface LiveResults {
  date: string;
  startedAt: string;
  finishedAt: string;
  command: string;
  machine: Machine;
  /** `ulimit -n` of the run (each socket is a descriptor in the client and in the gateway). */
  openFileLimit: number | null;
  selections: Record<SelectionId, string>;
  cells: LiveCell[];
  verdicts: LiveVerdict[];
}

export type { Verdict };

const liveResults = datedResults<LiveResults>('live');

/** Writes bench/results/live/<date>.json; returns its path. */
export const writeLiveResults = liveResults.write;
export const readNewestLiveResults = liveResults.readNewest;
