import { parseArgs } from 'node:util';
import { z } from 'zod';
import { env, loadConfig } from '@platform/config';
import { SELECTION_IDS, type SelectionId } from './selections.js';

const distinct = <Item>(items: Item[]) => new Set(items).size === items.length;

const counts = (fallback: string, max: number) =>
  env.csv(fallback).pipe(
    z
      .array(z.string().transform(Number).pipe(z.number().int().min(1).max(max)))
      .min(1)
      .refine(distinct, 'each value at most once'),
  );

/** Sockets one run may open: the client and the gateway each hold one descriptor per socket. */
export const MAX_SOCKETS = 20_000;
/** Deliveries per second one run may ask for. */
export const MAX_RATE = 20_000;

const liveSettingsSchema = z.object({
  /** Open sockets per cell, each of a distinct user with one notificationAdded subscription. */
  BENCH_LIVE_SOCKETS: counts('1000,10000', MAX_SOCKETS),
  /** Notifications per second asked for (one recipient per Kafka event). */
  BENCH_LIVE_RATES: counts('100,500,1000,2000,5000', MAX_RATE),
  /** The subscription selections measured at each sockets x rate. */
  BENCH_LIVE_SELECTIONS: env
    .csv(SELECTION_IDS.join(','))
    .pipe(z.array(z.enum(SELECTION_IDS)).min(1).refine(distinct, 'each value at most once')),
  /** Seconds of load per cell. */
  BENCH_LIVE_SECONDS: z.coerce.number().positive().max(3600).default(20),
  /** Seconds to wait after the load for deliveries still on their way before counting losses. */
  BENCH_LIVE_DRAIN_SECONDS: z.coerce.number().positive().max(600).default(15),
  /** Worker threads holding the client sockets; 0 picks one per 2,500 sockets. */
  BENCH_LIVE_CLIENT_WORKERS: z.coerce.number().int().min(0).max(16).default(0),
});

export interface LiveSettings {
  sockets: number[];
  rates: number[];
  selections: SelectionId[];
  seconds: number;
  drainSeconds: number;
  /** 0: one per 2,500 sockets. */
  clientWorkers: number;
}

/** Command-line options for one cell: `npm run bench -- live --sockets 1000 --rate 100 ...`. */
const optionsSchema = z.object({
  sockets: z.coerce.number().int().min(1).max(MAX_SOCKETS).optional(),
  rate: z.coerce.number().int().min(1).max(MAX_RATE).optional(),
  selection: z.enum(SELECTION_IDS).optional(),
  seconds: z.coerce.number().positive().max(3600).optional(),
  workers: z.coerce.number().int().min(0).max(16).optional(),
});

/**
 * BENCH_LIVE_* from the environment, narrowed by the command-line options after `live`
 * (`--sockets`, `--rate`, `--selection`, `--seconds`, `--workers`): each option replaces its list
 * with one value, so all four name one cell.
 */
export function loadLiveSettings(
  args: string[] = process.argv.slice(3),
  source: NodeJS.ProcessEnv = process.env,
): LiveSettings {
  const fromEnv = loadConfig(liveSettingsSchema, source);
  const { values } = parseArgs({
    args,
    strict: true,
    options: {
      sockets: { type: 'string' },
      rate: { type: 'string' },
      selection: { type: 'string' },
      seconds: { type: 'string' },
      workers: { type: 'string' },
    },
  });
  const parsed = optionsSchema.safeParse(values);
  if (!parsed.success) {
    throw new Error(`bench live options: ${z.prettifyError(parsed.error)}`);
  }
  const options = parsed.data;
  return {
    sockets: options.sockets === undefined ? fromEnv.BENCH_LIVE_SOCKETS : [options.sockets],
    rates: options.rate === undefined ? fromEnv.BENCH_LIVE_RATES : [options.rate],
    selections:
      options.selection === undefined ? fromEnv.BENCH_LIVE_SELECTIONS : [options.selection],
    seconds: options.seconds ?? fromEnv.BENCH_LIVE_SECONDS,
    drainSeconds: fromEnv.BENCH_LIVE_DRAIN_SECONDS,
    clientWorkers: options.workers ?? fromEnv.BENCH_LIVE_CLIENT_WORKERS,
  };
}

/** Sockets per client worker thread when BENCH_LIVE_CLIENT_WORKERS is 0. */
export const SOCKETS_PER_WORKER = 2_500;

export function clientWorkersFor(sockets: number, setting: number): number {
  return setting > 0 ? setting : Math.max(1, Math.ceil(sockets / SOCKETS_PER_WORKER));
}
