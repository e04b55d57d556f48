import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig } from '@platform/config';
import { costConfig, costSettings } from './config.js';

const schema = z.object(costSettings);

describe('cost settings from the environment', () => {
  it('applies the defaults', () => {
    const settings = loadConfig(schema, {});
    expect(costConfig(settings).limits).toEqual({
      maxCost: 5000,
      maxDepth: 12,
      maxAliases: 30,
      maxRootFields: 10,
      maxTokens: 5000,
    });
    expect(costConfig(settings).model).toEqual({ overrides: {}, defaults: { listSize: 10 } });
  });

  it('reads every limit, the default list size and the overrides', () => {
    const settings = loadConfig(schema, {
      MAX_QUERY_COST: '800',
      MAX_QUERY_DEPTH: '6',
      MAX_ALIASES: '0',
      MAX_ROOT_FIELDS: '2',
      MAX_TOKENS: '900',
      DEFAULT_LIST_SIZE: '25',
      COST_OVERRIDES:
        '{"Query.projects": {"weight": 3, "assumedSize": 50}, "Document": {"weight": 2}}',
    });
    expect(costConfig(settings).limits).toEqual({
      maxCost: 800,
      maxDepth: 6,
      maxAliases: 0,
      maxRootFields: 2,
      maxTokens: 900,
    });
    expect(costConfig(settings).model).toEqual({
      overrides: { 'Query.projects': { weight: 3, assumedSize: 50 }, Document: { weight: 2 } },
      defaults: { listSize: 25 },
    });
  });

  it('fails fast naming COST_OVERRIDES when it is not JSON or an entry is malformed', () => {
    expect(() => loadConfig(schema, { COST_OVERRIDES: '{not json' })).toThrow(
      /COST_OVERRIDES: must be a JSON object/,
    );
    expect(() =>
      loadConfig(schema, { COST_OVERRIDES: '{"Query.projects": {"weight": -1}}' }),
    ).toThrow(/COST_OVERRIDES: .* at Query\.projects\.weight/);
    expect(() => loadConfig(schema, { COST_OVERRIDES: '{"a.b.c": {}}' })).toThrow(
      /COST_OVERRIDES: keys are "Type" or "Type\.field" at a\.b\.c/,
    );
    expect(() => loadConfig(schema, { COST_OVERRIDES: '{"Query.x": {"wieght": 1}}' })).toThrow(
      /COST_OVERRIDES: .*wieght/,
    );
  });

  it('fails fast naming a malformed limit', () => {
    expect(() => loadConfig(schema, { MAX_QUERY_DEPTH: 'deep' })).toThrow(/MAX_QUERY_DEPTH: /);
    expect(() => loadConfig(schema, { MAX_QUERY_COST: '0' })).toThrow(/MAX_QUERY_COST: /);
  });
});
