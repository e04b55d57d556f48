import type { BenchUser } from '../world-api.js';
import type { AttackId } from './attack-ids.js';
import type { Tally } from './tally.js';

/** Who attacks, and where. */
export interface AttackContext {
  /** `http://127.0.0.1:<port>/graphql` */
  gatewayUrl: string;
  /** `ws://127.0.0.1:<port>/graphql` */
  socketUrl: string;
  /** The hostile signed-in user. */
  attacker: BenchUser;
  /** Another member of the attacker's project, whose writes notify the attacker. */
  fellowMember: BenchUser;
  /** A project of the attacker's that the fellow member belongs to. */
  sharedProjectId: string;
  /**
   * The local address anonymous attacks connect from (127.x.y.z, fresh per run), so their budget
   * is an address of their own, neither the victim's nor another program's on this machine.
   */
  anonymousAddress: string;
}

/** What the attacker did and got, by kind. */
export interface AttackReport {
  /** What it sent: `{ 'subscribe frames': 100, 'batches of 500': 12 }`. */
  sent: Tally;
  /** What it got back: statuses, error codes, close codes. */
  got: Tally;
  /** The measured facts worth a sentence. */
  notes: string[];
  /** For an attack that measures correctness rather than load: whether the wanted behaviour was seen. */
  correctness?: { wanted: string; measured: string; met: boolean };
}

/** An attack ready to start: whatever it needs beforehand (a key, a socket) is in place. */
export interface PreparedAttack {
  begin(): void;
  /** Stops sending, closes what it opened and says what happened. */
  stop(): Promise<AttackReport>;
}

export interface Attack {
  id: AttackId;
  title: string;
  /** What it sends, as a sentence for the report. */
  description: string;
  /** The shortest phase it can be judged in (a window it must outlast), when longer than the setting. */
  minimumSeconds?: number;
  prepare(context: AttackContext): Promise<PreparedAttack>;
}
