import { readFileSync } from 'node:fs';
import path from 'node:path';
import express, { type Express, type Request, type RequestHandler } from 'express';
import type { Logger } from '@platform/logger';
import { socketSources, wantsHtml } from '../explorer/serve.js';
import type { WebAppConfig } from './config.js';

/** Vite's hashed output (`assets/<name>-<hash>.js|css`): cached for a year, never revalidated. */
export const WEB_APP_ASSET_PATH = '/assets';

/** Paths that belong to the gateway itself: never answered with the app's page. */
const GATEWAY_PATHS = /^\/(?:graphql|health|metrics|assets)(?:\/|$)/;

/**
 * The app's Content-Security-Policy: scripts and styles from this origin only (Vite's build has no
 * inline script or style; uPlot and React set styles through the CSSOM, which CSP allows),
 * connections to this origin and graphql-ws on this host, the manifest from here.
 */
export function webAppContentSecurityPolicy(host: string | undefined): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "manifest-src 'self'",
    `connect-src 'self'${socketSources(host)}`,
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Whether a request is a browser navigation to one of the app's client-side routes. */
export function isAppNavigation(req: Pick<Request, 'method' | 'path'>): boolean {
  return (req.method === 'GET' || req.method === 'HEAD') && !GATEWAY_PATHS.test(req.path);
}

/**
 * Serves the built web app on the gateway's origin, beside /graphql (so no CORS): `/assets/*`
 * (hashed, immutable), the manifest and icons at the root (revalidated), and index.html for every
 * other browser navigation outside /graphql, /health and /metrics (the app routes on the client),
 * with a strict CSP and no caching. Without a build it logs once and mounts nothing.
 */
export function mountWebApp(app: Express, config: WebAppConfig, logger: Logger): boolean {
  if (!config.enabled) return false;
  let html: string;
  try {
    html = readFileSync(path.join(config.dir, 'index.html'), 'utf8');
  } catch {
    logger.warn(
      { dir: config.dir },
      'the web app is not built (npm run build -w web): the gateway serves no web app',
    );
    return false;
  }
  const nosniff = (res: express.Response) => res.setHeader('X-Content-Type-Options', 'nosniff');
  app.use(
    WEB_APP_ASSET_PATH,
    express.static(path.join(config.dir, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      fallthrough: false,
      setHeaders: nosniff,
    }),
  );
  // The manifest and icons keep their names (browsers and installs look them up by name).
  const publicFiles = express.static(config.dir, {
    index: false,
    maxAge: '1h',
    setHeaders: (res, file) => {
      nosniff(res);
      if (file.endsWith('.webmanifest')) res.setHeader('Content-Type', 'application/manifest+json');
    },
  });
  app.use((req, res, next) =>
    req.path.endsWith('.html') || GATEWAY_PATHS.test(req.path)
      ? next()
      : publicFiles(req, res, next),
  );
  app.use(servePage(html));
  return true;
}

function servePage(html: string): RequestHandler {
  return (req, res, next) => {
    if (!isAppNavigation(req)) return next();
    res.vary('Accept');
    if (!wantsHtml(req)) return next();
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': webAppContentSecurityPolicy(req.headers.host),
        'Cache-Control': 'no-cache',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'same-origin',
        'Cross-Origin-Opener-Policy': 'same-origin',
      })
      .send(html);
  };
}
