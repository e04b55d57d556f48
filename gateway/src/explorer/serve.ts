import express, { type Express, type Request, type RequestHandler } from 'express';
import type { Logger } from '@platform/logger';
import type { ExplorerConfig } from './config.js';
import { readExplorerManifest, type ExplorerManifest } from './manifest.js';

/** Where the bundle's hashed files are served, under the endpoint so one proxy rule covers both. */
export const EXPLORER_ASSET_PATH = '/graphql/explorer';

/** A host header as browsers send it (name or address, optional port); anything else is ignored. */
const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** ` ws://host wss://host` for a well-formed host header (graphql-ws on this host), else ''. */
export function socketSources(host: string | undefined): string {
  return host && HOST.test(host) ? ` ws://${host} wss://${host}` : '';
}

/**
 * The page's Content-Security-Policy: scripts, styles and everything else from this origin only
 * (no inline script or style), fonts and icons also as data: URLs (GraphiQL's CSS inlines its
 * fonts), and connections to this origin over HTTP and to this host over WebSocket.
 */
export function explorerContentSecurityPolicy(host: string | undefined): string {
  const sockets = socketSources(host);
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function explorerPage(manifest: ExplorerManifest, endpoint = '/graphql'): string {
  const asset = (file: string) => `${EXPLORER_ASSET_PATH}/${encodeURIComponent(file)}`;
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta name="viewport" content="width=device-width, initial-scale=1" />
    <title>GraphiQL · Platform API</title>
    <link rel="icon" href="data:," />
    <link rel="stylesheet" href="${asset(manifest.style)}" />
    <script type="module" src="${asset(manifest.script)}"></script>
  </head>
  <body>
    <div id="explorer" data-endpoint="${endpoint}">Loading the explorer…</div>
  </body>
</html>
`;
}

/** A GET a browser makes when it navigates: it prefers HTML to any GraphQL response type. */
export function wantsHtml(req: Request): boolean {
  return (
    req.accepts(['application/graphql-response+json', 'application/json', 'text/html']) ===
    'text/html'
  );
}

/**
 * Mounts GraphiQL on `app` before /graphql's Apollo route: `GET /graphql` preferring `text/html`
 * gets the page (strict CSP, no caching), `/graphql/explorer/*` the bundle's hashed files (cached
 * for a year). Every other request, POST and GET alike, goes on to Apollo unchanged. Without a
 * built bundle it logs once and mounts nothing.
 */
export function mountExplorer(app: Express, config: ExplorerConfig, logger: Logger): boolean {
  if (!config.enabled) return false;
  const manifest = readExplorerManifest(config.bundleDir);
  if (!manifest) {
    logger.warn(
      { bundleDir: config.bundleDir },
      'the explorer bundle is not built (npm run build:explorer -w gateway): no GraphiQL page',
    );
    return false;
  }
  const html = explorerPage(manifest);
  app.use(
    EXPLORER_ASSET_PATH,
    express.static(config.bundleDir, {
      index: false,
      immutable: true,
      maxAge: '365d',
      fallthrough: false,
      setHeaders: (res) => res.setHeader('X-Content-Type-Options', 'nosniff'),
    }),
  );
  app.get('/graphql', servePage(html));
  return true;
}

function servePage(html: string): RequestHandler {
  return (req, res, next) => {
    res.vary('Accept');
    if (!wantsHtml(req)) return next();
    res
      .status(200)
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Content-Security-Policy': explorerContentSecurityPolicy(req.headers.host),
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'no-referrer',
        'Cross-Origin-Opener-Policy': 'same-origin',
      })
      .send(html);
  };
}
