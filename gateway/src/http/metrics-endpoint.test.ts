import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { metricsListenAddress, metricsSettings } from './metrics-endpoint.js';

const settings = (env: Record<string, string>) => loadConfig(z.object(metricsSettings), env);

describe('metrics listener settings', () => {
  it('listens on 127.0.0.1:9464 by default, with no token for the public port', () => {
    expect(metricsListenAddress(settings({}), 4000)).toEqual({ port: 9464, host: '127.0.0.1' });
    expect(settings({}).METRICS_TOKEN).toBe('');
  });

  it('takes a free port when the public one is any free port, unless METRICS_PORT is set', () => {
    expect(metricsListenAddress(settings({}), 0).port).toBe(0);
    expect(metricsListenAddress(settings({ METRICS_PORT: '9500' }), 0).port).toBe(9500);
    expect(metricsListenAddress(settings({ METRICS_PORT: '0' }), 4000).port).toBe(0);
  });

  it('names a malformed port and a token too short to be a secret', () => {
    expect(() => settings({ METRICS_PORT: '70000', METRICS_TOKEN: 'short' })).toThrow(
      /METRICS_PORT: [\s\S]*METRICS_TOKEN: /,
    );
  });
});
