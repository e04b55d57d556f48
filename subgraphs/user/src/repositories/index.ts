import { apiKeyRepository, type ApiKeyRepository } from './api-keys.js';
import type { Database } from './database.js';
import { membershipRepository, type MembershipRepository } from './memberships.js';
import { organizationRepository, type OrganizationRepository } from './organizations.js';
import { userRepository, type UserRepository } from './users.js';

export interface Repositories {
  users: UserRepository;
  organizations: OrganizationRepository;
  memberships: MembershipRepository;
  apiKeys: ApiKeyRepository;
}

export function createRepositories(db: Database): Repositories {
  return {
    users: userRepository(db),
    organizations: organizationRepository(db),
    memberships: membershipRepository(db),
    apiKeys: apiKeyRepository(db),
  };
}
