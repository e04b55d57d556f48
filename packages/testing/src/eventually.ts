export interface EventuallyOptions {
  /** Give up after this long; default 30 s. */
  timeoutMs?: number;
  /** Wait between tries; default 100 ms. */
  intervalMs?: number;
  /** What is awaited, for the timeout's message. */
  what?: string;
}

/**
 * Polls `read` until it returns something other than undefined without throwing, and answers
 * that. On timeout it fails with the last error `read` threw (an assertion says what it saw), or
 * with a message naming `what`.
 */
export async function eventually<T>(
  read: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 30_000, intervalMs = 100, what = 'a condition' }: EventuallyOptions = {},
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let failure: unknown;
    try {
      const value = await read();
      if (value !== undefined) return value;
    } catch (error) {
      failure = error;
    }
    if (Date.now() > deadline) {
      throw failure ?? new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
