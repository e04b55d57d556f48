import { createEvent } from '@platform/events';
import type { ApiKey } from '../repositories/api-keys.js';
import type { Membership } from '../repositories/memberships.js';
import type { Organization } from '../repositories/organizations.js';
import type { User } from '../repositories/users.js';

/**
 * The events this subgraph emits, one builder per change. createEvent validates each against the
 * catalog of @platform/events. user.* events are about a User, organization.* events about an
 * Organization; the actor is the user whose request made the change.
 */

const userSubject = (userId: string) => ({ type: 'User', id: userId });
const organizationSubject = (organizationId: string) => ({
  type: 'Organization',
  id: organizationId,
});

/** A sign-up is its own actor. */
export const userSignedUp = (user: User) =>
  createEvent('user.signed_up', {
    actor: { userId: user.id },
    subject: userSubject(user.id),
    data: { email: user.email, name: user.name },
  });

/** The user's platform role as it is now; the actor is the admin who set it (or the user). */
export const userRoleChanged = (actorId: string, user: User) =>
  createEvent('user.role_changed', {
    actor: { userId: actorId },
    subject: userSubject(user.id),
    data: { role: user.role },
  });

export const apiKeyCreated = (actorId: string, apiKey: ApiKey) =>
  createEvent('user.api_key_created', {
    actor: { userId: actorId },
    subject: userSubject(apiKey.userId),
    data: { apiKeyId: apiKey.id, name: apiKey.name, scopes: apiKey.scopes },
  });

export const apiKeyRevoked = (actorId: string, apiKey: ApiKey) =>
  createEvent('user.api_key_revoked', {
    actor: { userId: actorId },
    subject: userSubject(apiKey.userId),
    data: { apiKeyId: apiKey.id },
  });

export const organizationCreated = (actorId: string, organization: Organization) =>
  createEvent('organization.created', {
    actor: { userId: actorId },
    subject: organizationSubject(organization.id),
    data: { name: organization.name, ownerId: actorId },
  });

/** Also emitted when an existing member's role is set (the event carries the role they now have). */
export const organizationMemberAdded = (actorId: string, membership: Membership) =>
  createEvent('organization.member_added', {
    actor: { userId: actorId },
    subject: organizationSubject(membership.organizationId),
    data: { userId: membership.userId, role: membership.role },
  });
