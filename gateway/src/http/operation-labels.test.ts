import { describe, expect, it } from '@jest/globals';
import { OPERATION_NAME, operationNameLabels, operationOutcome } from './operation-labels.js';

describe('operation name labels', () => {
  it('labels a resolved operation by its name', () => {
    expect(operationNameLabels().admit('Dashboard')).toBe('Dashboard');
  });

  it('collapses unnamed operations into one label', () => {
    const labels = operationNameLabels();
    expect(labels.admit(undefined)).toBe(OPERATION_NAME.anonymous);
    expect(labels.admit(null)).toBe(OPERATION_NAME.anonymous);
    expect(labels.admit('')).toBe(OPERATION_NAME.anonymous);
  });

  it('keeps the first names it saw and collapses every later new one, so the labels stay bounded', () => {
    const labels = operationNameLabels(2);
    expect(labels.admit('A')).toBe('A');
    expect(labels.admit('B')).toBe('B');
    expect(labels.admit('C')).toBe(OPERATION_NAME.other);
    expect(labels.admit('D')).toBe(OPERATION_NAME.other);
    expect(labels.admit('A')).toBe('A');
    expect(labels.admit('B')).toBe('B');
  });

  it('labels an unresolved operation by its name only once a resolved one admitted it', () => {
    const labels = operationNameLabels();
    expect(labels.known('Dashboard')).toBe(OPERATION_NAME.unknown);
    labels.admit('Dashboard');
    expect(labels.known('Dashboard')).toBe('Dashboard');
    expect(labels.known(undefined)).toBe(OPERATION_NAME.unknown);
  });
});

describe('operation outcome', () => {
  it('is success without errors', () => {
    expect(operationOutcome(undefined)).toBe('success');
    expect(operationOutcome([])).toBe('success');
  });

  it("is rejected when every error is the caller's", () => {
    expect(
      operationOutcome([
        { extensions: { code: 'RATE_LIMITED' } },
        { extensions: { code: 'BAD_USER_INPUT' } },
      ]),
    ).toBe('rejected');
  });

  it("is failed when any error is the platform's, or carries no code", () => {
    expect(
      operationOutcome([
        { extensions: { code: 'FORBIDDEN' } },
        { extensions: { code: 'SUBGRAPH_UNAVAILABLE' } },
      ]),
    ).toBe('failed');
    expect(operationOutcome([{ extensions: {} }])).toBe('failed');
    expect(operationOutcome([{}])).toBe('failed');
  });
});
