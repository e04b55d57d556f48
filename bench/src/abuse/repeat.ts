import { setTimeout as sleep } from 'node:timers/promises';

/** Something that runs until told to stop. */
export interface Repeater {
  stopped(): boolean;
  /** Runs `step` again and again (at most once per `everyMs`) until stopped; never throws. */
  repeat(step: () => Promise<void>, everyMs?: number): void;
  /** Sleeps `ms`, or less when stopped meanwhile. */
  pause(ms: number): Promise<void>;
  /** Stops and waits for every loop's current step to finish. */
  stop(): Promise<void>;
}

export function repeater(onError: (error: unknown) => void): Repeater {
  let stopped = false;
  let wake: () => void = () => {};
  const woken = new Promise<void>((resolve) => (wake = resolve));
  const loops: Array<Promise<void>> = [];
  const pause = (ms: number) => Promise.race([sleep(ms), woken]);
  return {
    stopped: () => stopped,
    pause,
    repeat(step, everyMs = 0) {
      loops.push(
        (async () => {
          while (!stopped) {
            const started = Date.now();
            try {
              await step();
            } catch (error) {
              onError(error);
            }
            const rest = everyMs - (Date.now() - started);
            if (rest > 0 && !stopped) await pause(rest);
          }
        })(),
      );
    },
    async stop() {
      stopped = true;
      wake();
      await Promise.all(loops);
    },
  };
}
