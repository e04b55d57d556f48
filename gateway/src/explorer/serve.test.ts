import { describe, expect, it } from '@jest/globals';
import { connectionParams, credentialHeaders, describeCredential } from './credentials.js';
import { explorerContentSecurityPolicy, explorerPage } from './serve.js';
import { explorerConfig, explorerSettings } from './config.js';
import { z } from 'zod';

describe('explorerContentSecurityPolicy', () => {
  it('allows WebSockets to the request host only, and nothing inline', () => {
    const policy = explorerContentSecurityPolicy('127.0.0.1:4000');
    expect(policy).toContain("connect-src 'self' ws://127.0.0.1:4000 wss://127.0.0.1:4000");
    expect(policy).not.toContain('unsafe');
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
  });

  it('ignores a host header that is not a host', () => {
    for (const host of ['evil.example; script-src *', 'a b', undefined, '']) {
      expect(explorerContentSecurityPolicy(host)).toContain("connect-src 'self'; base-uri");
    }
    expect(explorerContentSecurityPolicy('[::1]:4000')).toContain('ws://[::1]:4000');
  });
});

describe('explorerPage', () => {
  it('links the hashed bundle files and carries its config in a data attribute', () => {
    const html = explorerPage({ script: 'explorer-A.js', style: 'explorer-B.css' });
    expect(html).toContain('src="/graphql/explorer/explorer-A.js"');
    expect(html).toContain('href="/graphql/explorer/explorer-B.css"');
    expect(html).toContain('data-endpoint="/graphql"');
  });
});

describe('credentials', () => {
  const token = { kind: 'token' as const, token: 'jwt', email: 'a@example.com' };
  const apiKey = { kind: 'apiKey' as const, apiKey: 'key' };
  it('are sent as the headers and connectionParams the gateway reads', () => {
    expect(credentialHeaders(token)).toEqual({ authorization: 'Bearer jwt' });
    expect(connectionParams(token)).toEqual({ authorization: 'Bearer jwt' });
    expect(credentialHeaders(apiKey)).toEqual({ 'x-api-key': 'key' });
    expect(connectionParams(apiKey)).toEqual({ apiKey: 'key' });
    expect(credentialHeaders(undefined)).toEqual({});
    expect(describeCredential(token)).toBe('Signed in as a@example.com');
  });
});

describe('explorerConfig', () => {
  const parse = (env: Record<string, string>) =>
    explorerConfig(z.object(explorerSettings).parse(env));
  it('is on by default and off with EXPLORER_ENABLED=false', () => {
    expect(parse({}).enabled).toBe(true);
    expect(parse({}).bundleDir).toMatch(/gateway\/dist\/explorer$/);
    expect(parse({ EXPLORER_ENABLED: 'false' }).enabled).toBe(false);
  });
});
