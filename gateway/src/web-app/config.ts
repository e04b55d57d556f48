import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { SettingsOf } from '@platform/config';

/** Where `npm run build -w web` writes the app (gitignored, never committed). */
export const DEFAULT_WEB_APP_DIR = fileURLToPath(new URL('../../../web/dist', import.meta.url));

/** The web app's environment variables, a shape the gateway's config schema extends. */
export const webAppSettings = {
  /** `false`: the gateway serves no web app; `/` and app routes answer 404. */
  WEB_APP_ENABLED: z.stringbool().default(true),
  /** The built app: index.html, hashed files under assets/, the manifest and icons. */
  WEB_APP_DIR: z.string().min(1).default(DEFAULT_WEB_APP_DIR),
};

export type WebAppSettings = SettingsOf<typeof webAppSettings>;

export interface WebAppConfig {
  enabled: boolean;
  dir: string;
}

export function webAppConfig(settings: WebAppSettings): WebAppConfig {
  return { enabled: settings.WEB_APP_ENABLED, dir: settings.WEB_APP_DIR };
}
