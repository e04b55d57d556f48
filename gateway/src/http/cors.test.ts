import { describe, expect, it } from '@jest/globals';
import { loadGatewayConfig } from '../config.js';

const secrets = { JWT_SECRET: 'j'.repeat(40), GATEWAY_SECRET: 'g'.repeat(40) };

describe('CORS settings', () => {
  it('reads CORS_ORIGINS as a trimmed list and defaults to same-origin only', () => {
    expect(loadGatewayConfig(secrets).CORS_ORIGINS).toEqual([]);
    const config = loadGatewayConfig({
      ...secrets,
      CORS_ORIGINS: 'https://app.example.com, http://localhost:5173',
    });
    expect(config.CORS_ORIGINS).toEqual(['https://app.example.com', 'http://localhost:5173']);
    expect(config.CORS_MAX_AGE_SECONDS).toBe(600);
  });
});
