import type { Repositories } from '../repositories/index.js';
import { accountService, type AccessTokenSettings, type AccountService } from './accounts.js';
import { apiKeyService, type ApiKeyService } from './api-keys.js';
import { organizationService, type OrganizationService } from './organizations.js';
import { userService, type UserService } from './users.js';

/** The user subgraph's operations; resolvers call these and nothing else. */
export interface Domain {
  accounts: AccountService;
  users: UserService;
  organizations: OrganizationService;
  apiKeys: ApiKeyService;
}

export function createDomain(repositories: Repositories, tokens: AccessTokenSettings): Domain {
  return {
    accounts: accountService(repositories, tokens),
    users: userService(repositories.users),
    organizations: organizationService(repositories),
    apiKeys: apiKeyService(repositories),
  };
}
