import type { User } from '../repositories/users.js';

/**
 * The user records signUp and login hand back in their AuthPayload: the caller's own account,
 * just proven by its password, which an anonymous caller may read (e-mail included) although it
 * holds no scope yet. Marked by identity of the record, which is made fresh for each request, so a
 * mark never outlives its request nor reaches a record loaded any other way.
 */
const ownAccounts = new WeakSet<User>();

export function markOwnAccount(user: User): User {
  ownAccounts.add(user);
  return user;
}

export function isOwnAccount(user: User): boolean {
  return ownAccounts.has(user);
}
