import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/react';
import { errorFromResponse } from '@acme/sdk';
import { ErrorNotice } from './states.js';

describe('ErrorNotice', () => {
  it('shows the platform’s message, code and request id', () => {
    const error = errorFromResponse(
      [{ message: 'Document d1 is at version 4', extensions: { code: 'VERSION_CONFLICT' } }],
      { requestId: 'req-123', status: 200 },
    );
    render(<ErrorNotice error={error} />);
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Document d1 is at version 4');
    expect(alert.textContent).toContain('VERSION_CONFLICT');
    expect(alert.textContent).toContain('req-123');
  });

  it('shows a plain error’s message', () => {
    render(<ErrorNotice error={new Error('offline')} />);
    expect(screen.getByRole('alert').textContent).toBe('offline');
  });
});
