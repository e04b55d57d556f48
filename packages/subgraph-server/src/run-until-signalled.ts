import type { Logger } from '@platform/logger';

/**
 * The end of every process's main: on SIGTERM or SIGINT, stop (stop accepting, drain, close
 * stores) and exit; a second signal or a stop that hangs exits at once.
 */
export function runUntilSignalled(logger: Logger, stop: () => Promise<void>, graceMs = 10_000) {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    logger.info({ signal }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
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
