import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { ConfigError, loadConfig } from '@platform/config';
import { fetchConfig, fetchSettings } from './config.js';

const load = (source: NodeJS.ProcessEnv) =>
  fetchConfig(loadConfig(z.object(fetchSettings), source));

describe('fetch settings', () => {
  it('shares no operations by default', () => {
    expect(load({})).toEqual({ operationDedup: false });
  });

  it('reads OPERATION_DEDUP_ENABLED', () => {
    expect(load({ OPERATION_DEDUP_ENABLED: 'true' })).toEqual({ operationDedup: true });
    expect(load({ OPERATION_DEDUP_ENABLED: 'false' })).toEqual({ operationDedup: false });
  });

  it('refuses a value that is not a boolean, naming the variable', () => {
    expect(() => load({ OPERATION_DEDUP_ENABLED: 'sometimes' })).toThrow(ConfigError);
    expect(() => load({ OPERATION_DEDUP_ENABLED: 'sometimes' })).toThrow(/OPERATION_DEDUP_ENABLED/);
  });
});
