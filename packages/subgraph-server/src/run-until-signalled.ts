import type { Logger } from '@platform/logger';

export interface SignalOptions {
  /** How long the stop may take before the process exits with 1 anyway. */
  graceMs?: number;
  /**
   * What a second SIGTERM/SIGINT during the stop does: `exit` at once (a person pressing Ctrl-C
   * twice), or `ignore` it (a node:cluster worker, which gets Ctrl-C's SIGINT from the terminal
   * and the SIGTERM its primary forwards; the primary decides when to give up).
   */
  repeatedSignal?: 'exit' | 'ignore';
  /** Runs just before a forced exit (second signal, or the grace period over). */
  beforeForcedExit?: () => void;
}

/**
 * The end of every process's main: on SIGTERM or SIGINT, stop (stop accepting, drain, close
 * stores) and exit; a second signal or a stop that hangs exits at once.
 */
export function runUntilSignalled(
  logger: Logger,
  stop: () => Promise<void>,
  options: number | SignalOptions = {},
) {
  const {
    graceMs = 10_000,
    repeatedSignal = 'exit',
    beforeForcedExit,
  } = typeof options === 'number' ? { graceMs: options } : options;
  let stopping = false;
  const forcedExit = () => {
    beforeForcedExit?.();
    process.exit(1);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      if (repeatedSignal === 'exit') forcedExit();
      return;
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      forcedExit();
    }, graceMs).unref();
    stop().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
}
