/** The first restart of a process that died waits this long; each further one twice as long. */
export const FIRST_RESTART_DELAY_MS = 500;
export const MAX_RESTART_DELAY_MS = 30_000;
/** A process that ran this long before dying starts its backoff afresh. */
export const STABLE_AFTER_MS = 30_000;

/**
 * The restart policy of every supervisor (node:cluster workers, `npm start`'s services): each
 * death in a row doubles the wait (500 ms up to 30 s), so a process that cannot start (its store
 * is down) does not spin, and one that had stayed up a while is restarted at once again.
 */
export class RestartBackoff {
  private deathsInARow = 0;

  /** Records a death of a process that ran `upMs`; the wait before starting the next one. */
  nextDelayMs(upMs: number): number {
    if (upMs >= STABLE_AFTER_MS) this.deathsInARow = 0;
    const delay = Math.min(MAX_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS * 2 ** this.deathsInARow);
    this.deathsInARow++;
    return delay;
  }

  /** Deaths in a row so far, each within STABLE_AFTER_MS of its start. */
  get crashesInARow(): number {
    return this.deathsInARow;
  }
}
