import type { Repositories } from '../repositories/index.js';
import { accountService, type AccountService, type AccountSettings } from './accounts.js';
import { apiKeyService, type ApiKeyService } from './api-keys.js';
import { organizationService, type OrganizationService } from './organizations.js';
import { roleService, type RoleService } from './roles.js';
import { sessionService, type SessionService, type SessionSettings } from './sessions.js';
import { userService, type UserService } from './users.js';

/** The user subgraph's operations; resolvers call these and nothing else. */
export interface Domain {
  accounts: AccountService;
  sessions: SessionService;
  roles: RoleService;
  users: UserService;
  organizations: OrganizationService;
  apiKeys: ApiKeyService;
}

export type DomainSettings = SessionSettings & AccountSettings;

export function createDomain(repositories: Repositories, settings: DomainSettings): Domain {
  const sessions = sessionService(repositories, settings);
  return {
    accounts: accountService(repositories, sessions, settings),
    sessions,
    roles: roleService(repositories),
    users: userService(repositories.users),
    organizations: organizationService(repositories),
    apiKeys: apiKeyService(repositories),
  };
}
