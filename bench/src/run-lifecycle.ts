import { stopAllServices } from './processes.js';
import { progress } from './progress.js';

export function message(error: unknown): string {
  if (error instanceof AggregateError) {
    return `${error.message}: ${error.errors.map(message).join('; ')}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** Steps that undo what the run created, newest first; run once, on success, failure or Ctrl-C. */
const undoSteps: Array<{ what: string; step: () => Promise<void> }> = [];

/** Registers a step that undoes something the run created (a database, a process). */
export function onUndo(what: string, step: () => Promise<void>): void {
  undoSteps.push({ what, step });
}

async function undoAll(): Promise<void> {
  await stopAllServices().catch((error: unknown) =>
    progress(`stopping services: ${message(error)}`),
  );
  for (const { what, step } of undoSteps.splice(0).reverse()) {
    progress(what);
    await step().catch((error: unknown) => progress(`${what} failed: ${message(error)}`));
  }
}

/**
 * Runs one benchmark to the end and undoes what it created whatever happens: success, a failure
 * (reported, exit code 1) or Ctrl-C (exit code 130).
 */
export async function runToCompletion(main: () => Promise<void>): Promise<void> {
  let interrupted = false;
  process.once('SIGINT', () => {
    interrupted = true;
    progress('interrupted; cleaning up');
    void undoAll().finally(() => process.exit(130));
  });

  try {
    await main();
  } catch (error) {
    if (!interrupted)
      progress(
        `failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
      );
    process.exitCode = 1;
  } finally {
    await undoAll();
  }
}
