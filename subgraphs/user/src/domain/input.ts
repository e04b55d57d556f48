import { badUserInput } from '@platform/errors';
import { isUuid } from '../uuid.js';

/** Argument checks shared by the domain modules; each error names the argument at fault. */

export const MIN_PASSWORD_LENGTH = 8;
/** Long enough for any passphrase, short enough that hashing it costs nothing extra. */
export const MAX_PASSWORD_LENGTH = 1024;
export const MAX_NAME_LENGTH = 200;
const MAX_EMAIL_LENGTH = 254;
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export function requireEmail(value: string, argument = 'email'): string {
  const email = value.trim();
  if (email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email)) {
    throw badUserInput(`${argument} must be a valid email address`, argument);
  }
  return email;
}

/** Trimmed text of 1 to `maxLength` characters. */
export function requireText(value: string, argument: string, maxLength = MAX_NAME_LENGTH): string {
  const text = value.trim();
  if (text.length === 0) throw badUserInput(`${argument} must not be empty`, argument);
  if (text.length > maxLength) {
    throw badUserInput(`${argument} must be at most ${maxLength} characters`, argument);
  }
  return text;
}

export function requireNewPassword(value: string, argument = 'password'): string {
  if (value.length < MIN_PASSWORD_LENGTH || value.length > MAX_PASSWORD_LENGTH) {
    throw badUserInput(
      `${argument} must be between ${MIN_PASSWORD_LENGTH} and ${MAX_PASSWORD_LENGTH} characters`,
      argument,
    );
  }
  return value;
}

export function requireUuid(value: string, argument: string): string {
  if (!isUuid(value)) throw badUserInput(`${argument} is not a valid id`, argument);
  return value.toLowerCase();
}
