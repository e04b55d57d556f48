import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import { z } from 'zod';
import { createLogger } from '@platform/logger';
import { webAppConfig, webAppSettings } from './config.js';
import { isAppNavigation, mountWebApp, webAppContentSecurityPolicy } from './serve.js';

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('mountWebApp', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'web-app-'));
    mkdirSync(path.join(dir, 'assets'));
    writeFileSync(path.join(dir, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(path.join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    writeFileSync(path.join(dir, 'manifest.webmanifest'), '{"name":"Platform"}');
    const app = express();
    app.get('/graphql', (_req, res) => void res.json({ apollo: true }));
    app.get('/health/live', (_req, res) => void res.json({ ok: true }));
    expect(
      mountWebApp(app, { enabled: true, dir }, createLogger('test', { level: 'silent' })),
    ).toBe(true);
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('answers app routes with index.html under a strict CSP, not cached', async () => {
    for (const route of ['/', '/projects/p1/documents/d1', '/admin/platform']) {
      const response = await fetch(base + route, { headers: html });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('<div id="root">');
      expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
      expect(response.headers.get('cache-control')).toBe('no-cache');
    }
  });

  it('serves hashed assets for a year and the manifest by name', async () => {
    const asset = await fetch(`${base}/assets/index-abc123.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('cache-control')).toMatch(/max-age=31536000.*immutable/);
    expect((await fetch(`${base}/assets/missing.js`)).status).toBe(404);
    const manifest = await fetch(`${base}/manifest.webmanifest`);
    expect(manifest.headers.get('content-type')).toMatch(/application\/manifest\+json/);
  });

  it('leaves /graphql and /health to the gateway, and non-HTML requests alone', async () => {
    expect(await (await fetch(`${base}/graphql`, { headers: html })).json()).toEqual({
      apollo: true,
    });
    expect(await (await fetch(`${base}/health/live`, { headers: html })).json()).toEqual({
      ok: true,
    });
    expect((await fetch(`${base}/metrics`, { headers: html })).status).toBe(404);
    expect(
      (await fetch(`${base}/projects`, { headers: { accept: 'application/json' } })).status,
    ).toBe(404);
  });
});

describe('webAppContentSecurityPolicy', () => {
  it('allows nothing inline and WebSockets to the request host only', () => {
    const policy = webAppContentSecurityPolicy('127.0.0.1:4000');
    expect(policy).not.toContain('unsafe');
    expect(policy).toContain("connect-src 'self' ws://127.0.0.1:4000 wss://127.0.0.1:4000");
    expect(webAppContentSecurityPolicy('evil; script-src *')).toContain("connect-src 'self'; ");
  });
});

describe('isAppNavigation', () => {
  it('is a GET or HEAD outside the gateway paths', () => {
    expect(isAppNavigation({ method: 'GET', path: '/graphqlish' })).toBe(true);
    expect(isAppNavigation({ method: 'GET', path: '/graphql/explorer/x.js' })).toBe(false);
    expect(isAppNavigation({ method: 'POST', path: '/' })).toBe(false);
  });
});

describe('webAppConfig', () => {
  const parse = (env: Record<string, string>) => webAppConfig(z.object(webAppSettings).parse(env));
  it('is on by default, serving web/dist, and off with WEB_APP_ENABLED=false', () => {
    expect(parse({}).enabled).toBe(true);
    expect(parse({}).dir).toMatch(/web\/dist$/);
    expect(parse({ WEB_APP_ENABLED: 'false' }).enabled).toBe(false);
  });
});
