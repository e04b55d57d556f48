import { createLogger, type Logger } from '@platform/logger';

export interface LogRecord {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
}

const LEVELS: Record<number, LogRecord['level']> = {
  50: 'error',
  40: 'warn',
  30: 'info',
  20: 'debug',
};

/**
 * A real pino logger that records the message of each line (debug and up) instead of writing it,
 * so a test can assert what a component logged and how often. With LOG_TESTS set it also writes.
 */
export function recordingLogger(service = 'test'): { logger: Logger; records: LogRecord[] } {
  const records: LogRecord[] = [];
  const logger = createLogger(service, {
    level: 'debug',
    hooks: {
      logMethod(args, write, level) {
        const message = args.find((arg): arg is string => typeof arg === 'string') ?? '';
        records.push({ level: LEVELS[level] ?? 'error', message });
        if (process.env.LOG_TESTS) write.apply(this, args);
      },
    },
  });
  return { logger, records };
}
