/** One backing service of the local stack. */
export interface StackService {
  name: string;
  logFile: string;
  /** Installs binaries when missing; cheap when they are there. */
  install(): Promise<void>;
  /** pid of the process this stack started, when it still runs. */
  pid(): number | undefined;
  /** Starts the process (only called when `pid()` is undefined). */
  start(): Promise<void>;
  /** Resolves when the service answers a real request. */
  probe(): Promise<void>;
  /** One short line for `status`. */
  describe(): string;
}
