import { randomBytes } from 'node:crypto';

/** The secrets every process of one run shares; fresh per run, never written anywhere. */
export interface BenchSecrets {
  JWT_SECRET: string;
  GATEWAY_SECRET: string;
  [name: string]: string;
}

export function freshSecrets(): BenchSecrets {
  return {
    JWT_SECRET: randomBytes(32).toString('base64url'),
    GATEWAY_SECRET: randomBytes(32).toString('base64url'),
  };
}
