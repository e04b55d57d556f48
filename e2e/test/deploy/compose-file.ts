import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { REPO_ROOT } from './service-configs.js';

/** The parts of a Compose service the deployment tests read. */
export interface ComposeService {
  image?: string;
  build?: unknown;
  profiles?: string[];
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[] | string; disable?: boolean };
  depends_on?: Record<string, { condition?: string }> | string[];
}

export interface ComposeFile {
  /** The file as written, for checks on its text (interpolation). */
  text: string;
  services: Record<string, ComposeService>;
}

/**
 * Compose's interpolation of one value with no variable set: `${NAME:-default}` and
 * `${NAME-default}` give the default, `${NAME}` and `$NAME` nothing, `$$` a `$`. Hand-written
 * because no npm package implements Compose's interpolation; the forms that fail when a variable
 * is unset (`${NAME:?message}`, `${NAME?message}`) throw here as they stop Compose.
 */
export function interpolateUnset(value: string): string {
  return value.replace(
    /\$\$|\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([^}]*))?\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (match, name: string | undefined, _colon, operator: string | undefined, operand = '') => {
      if (match === '$$') return '$';
      if (operator === '?') throw new Error(`${match} requires ${name} to be set`);
      if (operator === '-') return operand;
      return '';
    },
  );
}

function interpolateAll(value: unknown): unknown {
  if (typeof value === 'string') return interpolateUnset(value);
  if (Array.isArray(value)) return value.map(interpolateAll);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolateAll(v)]));
  }
  return value;
}

/** docker-compose.yml as Compose reads it on a machine where no variable is set. */
export function readComposeFile(file = path.join(REPO_ROOT, 'docker-compose.yml')): ComposeFile {
  const text = readFileSync(file, 'utf8');
  // `merge`: the `<<: *anchor` keys the file uses, as Compose resolves them.
  const parsed = interpolateAll(parse(text, { merge: true })) as {
    services: Record<string, ComposeService>;
  };
  return { text, services: parsed.services };
}

/** A service's environment as the process sees it: every value a string. */
export function environmentOf(service: ComposeService): Record<string, string> {
  return Object.fromEntries(
    Object.entries(service.environment ?? {}).map(([name, value]) => [name, String(value)]),
  );
}
