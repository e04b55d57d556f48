import { describe, expect, it, vi } from 'vitest';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConflictPanel } from './ConflictPanel.js';

describe('ConflictPanel', () => {
  it('shows both versions and lets the user keep theirs or take the newer one', async () => {
    const keepMine = vi.fn();
    const takeTheirs = vi.fn();
    render(
      <ConflictPanel
        mine={{ title: 'Mine', tags: ['a'], body: { mine: true } }}
        theirs={{ title: 'Theirs', tags: [], body: { theirs: true }, version: 3, author: 'Bob' }}
        onKeepMine={keepMine}
        onTakeTheirs={takeTheirs}
      />,
    );
    expect(within(screen.getByTestId('conflict-mine')).getByText('Mine')).toBeTruthy();
    expect(within(screen.getByTestId('conflict-theirs')).getByText('Theirs')).toBeTruthy();
    expect(within(screen.getByTestId('conflict-theirs')).getByText(/"theirs": true/)).toBeTruthy();
    expect(screen.getByText(/Their version \(v3\)/)).toBeTruthy();
    await userEvent.click(screen.getByRole('button', { name: 'Keep mine' }));
    await userEvent.click(screen.getByRole('button', { name: 'Take theirs' }));
    expect(keepMine).toHaveBeenCalledTimes(1);
    expect(takeTheirs).toHaveBeenCalledTimes(1);
  });
});
