import { z } from 'zod';
import { fileURLToPath } from 'node:url';
import type { SettingsOf } from '@platform/config';

/** Where `npm run build:explorer -w gateway` writes the bundle (gitignored, never committed). */
export const DEFAULT_EXPLORER_BUNDLE_DIR = fileURLToPath(
  new URL('../../dist/explorer', import.meta.url),
);

/** The explorer's environment variables, a shape the gateway's config schema extends. */
export const explorerSettings = {
  /** `false`: no GraphiQL page; a browser's GET /graphql goes to Apollo like any other GET. */
  EXPLORER_ENABLED: z.stringbool().default(true),
  /** The built bundle (manifest.json and the hashed files it names). */
  EXPLORER_BUNDLE_DIR: z.string().min(1).default(DEFAULT_EXPLORER_BUNDLE_DIR),
};

export type ExplorerSettings = SettingsOf<typeof explorerSettings>;

export interface ExplorerConfig {
  enabled: boolean;
  /** The built bundle: manifest.json and the hashed assets it names. */
  bundleDir: string;
}

export function explorerConfig(settings: ExplorerSettings): ExplorerConfig {
  return { enabled: settings.EXPLORER_ENABLED, bundleDir: settings.EXPLORER_BUNDLE_DIR };
}
