import { apiKeyRepository, type ApiKeyRepository } from './api-keys.js';
import type { Database } from '@platform/postgres';
import { membershipRepository, type MembershipRepository } from './memberships.js';
import { organizationRepository, type OrganizationRepository } from './organizations.js';
import { outboxRepository, type OutboxRepository } from './outbox.js';
import { sessionRepository, type SessionRepository } from './sessions.js';
import { userRepository, type UserRepository } from './users.js';

/** One repository per table, all on the same database handle. */
export interface TableRepositories {
  users: UserRepository;
  organizations: OrganizationRepository;
  memberships: MembershipRepository;
  apiKeys: ApiKeyRepository;
  sessions: SessionRepository;
}

/** The repositories of one transaction; only here can events be written to the outbox. */
export interface TransactionRepositories extends TableRepositories {
  outbox: OutboxRepository;
}

export interface Repositories extends TableRepositories {
  /**
   * Runs a domain operation's statements in one transaction: its rows and its outbox events
   * commit together or not at all (see Database.transaction).
   */
  transaction<Result>(work: (tx: TransactionRepositories) => Promise<Result>): Promise<Result>;
}

export interface RepositoryOptions {
  /** Called after a transaction that wrote outbox events has committed (to wake the relay). */
  onEventsCommitted?: () => void;
}

export function createRepositories(db: Database, options: RepositoryOptions = {}): Repositories {
  return {
    ...tableRepositories(db),
    async transaction(work) {
      let wroteEvents = false;
      const result = await db.transaction((tx) => {
        const outbox = outboxRepository(tx);
        return work({
          ...tableRepositories(tx),
          outbox: {
            append: async (event) => {
              await outbox.append(event);
              wroteEvents = true;
            },
          },
        });
      });
      if (wroteEvents) options.onEventsCommitted?.();
      return result;
    },
  };
}

function tableRepositories(db: Database): TableRepositories {
  return {
    users: userRepository(db),
    organizations: organizationRepository(db),
    memberships: membershipRepository(db),
    apiKeys: apiKeyRepository(db),
    sessions: sessionRepository(db),
  };
}
