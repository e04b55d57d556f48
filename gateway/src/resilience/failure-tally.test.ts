import { describe, expect, it } from '@jest/globals';
import { createLogger } from '@platform/logger';
import { FetchFailureTally } from './failure-tally.js';

/** A real pino logger that keeps each line's level, fields and message. */
function linesLogger() {
  const lines: Array<{ level: number; fields: unknown; message: unknown }> = [];
  const logger = createLogger('test', {
    level: 'debug',
    hooks: {
      logMethod(args, _write, level) {
        lines.push({ level, fields: args[0], message: args[1] });
      },
    },
  });
  return { logger, lines };
}

describe('FetchFailureTally', () => {
  it('logs one warning with the counts by subgraph and reason, then starts over', () => {
    const { logger, lines } = linesLogger();
    const tally = new FetchFailureTally();
    for (let i = 0; i < 3; i += 1) tally.note('user', 'timeout');
    for (let i = 0; i < 585; i += 1) tally.note('user', 'breaker_open');
    tally.note('data', 'shed');

    tally.log(logger);
    expect(lines).toEqual([
      {
        level: 40,
        fields: { failures: { user: { timeout: 3, breaker_open: 585 }, data: { shed: 1 } } },
        message: 'subgraph unavailable',
      },
    ]);
    tally.log(logger);
    expect(lines).toHaveLength(1);
  });

  it('logs at debug when every fetch was refused by an open breaker or shed', () => {
    const { logger, lines } = linesLogger();
    const tally = new FetchFailureTally();
    tally.note('user', 'breaker_open');
    tally.note('user', 'shed');
    tally.log(logger);
    expect(lines.map((line) => line.level)).toEqual([20]);
  });

  it('logs nothing for a request whose fetches all answered', () => {
    const { logger, lines } = linesLogger();
    new FetchFailureTally().log(logger);
    expect(lines).toEqual([]);
  });
});
