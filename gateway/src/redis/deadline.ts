/** What `withinDeadline` answers when the command's answer did not come in time. */
export const TIMED_OUT: unique symbol = Symbol('Redis did not answer in time');

/**
 * `answer`, or TIMED_OUT when it has not come `ms` after the call. Node runs expired timers before
 * it reads sockets: after the event loop was busy (a burst of requests being planned and priced)
 * a plain timer fires while Redis's answer already waits in the socket, and a fast Redis looks
 * slow. So the timeout is declared from a setImmediate, which runs after that turn's socket reads;
 * an answer read there wins. (ioredis's `commandTimeout` is a plain timer, hence this instead.)
 * A command that times out is still in flight; a later failure of it is ignored.
 */
export async function withinDeadline<T>(
  answer: Promise<T>,
  ms: number,
): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  let immediate: NodeJS.Immediate | undefined;
  const timedOut = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => {
      immediate = setImmediate(() => resolve(TIMED_OUT));
    }, ms);
  });
  try {
    const result = await Promise.race([answer, timedOut]);
    if (result === TIMED_OUT) answer.catch(() => undefined);
    return result;
  } finally {
    clearTimeout(timer);
    if (immediate) clearImmediate(immediate);
  }
}
