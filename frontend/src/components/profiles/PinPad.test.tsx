import { fireEvent, render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { createSignal } from 'solid-js';
import { describe, expect, it, vi } from 'vitest';
import { PinPad, pinDigits } from './PinPad';

describe('pinDigits', () => {
  it('keeps digits only, at most six', () => {
    expect(pinDigits('12a3-4')).toBe('1234');
    expect(pinDigits('123456789')).toBe('123456');
    expect(pinDigits('')).toBe('');
  });
});

describe('PinPad', () => {
  it('submits the digits pressed on the keys once there are four, and not before', async () => {
    const onSubmit = vi.fn();
    render(() => <PinPad label="PIN for Ada" onSubmit={onSubmit} />);
    const ok = screen.getByRole('button', { name: 'OK' });
    for (const digit of ['1', '2', '3']) await userEvent.click(screen.getByRole('button', { name: digit }));
    expect(ok).toBeDisabled();
    await userEvent.click(ok);
    expect(onSubmit).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: '0' }));
    expect(ok).toBeEnabled();
    await userEvent.click(ok);
    expect(onSubmit).toHaveBeenCalledWith('1230');
  });

  it('takes typed digits and Enter from the keyboard, ignoring letters, and deletes the last digit', async () => {
    const onSubmit = vi.fn();
    render(() => <PinPad label="PIN for Ada" onSubmit={onSubmit} />);
    const field = screen.getByLabelText('PIN for Ada');
    expect(field).toHaveFocus();
    await userEvent.type(field, '4x5y6789');
    expect(field).toHaveValue('456789');
    await userEvent.click(screen.getByRole('button', { name: 'Delete last digit' }));
    expect(field).toHaveValue('45678');
    await userEvent.type(field, '{Enter}');
    expect(onSubmit).toHaveBeenCalledWith('45678');
    expect(field).toHaveValue('');
  });

  it('shows the error it is given and cancels on Escape', async () => {
    const onCancel = vi.fn();
    render(() => <PinPad label="PIN" onSubmit={() => {}} onCancel={onCancel} error="Wrong PIN. Try again." />);
    expect(screen.getByText('Wrong PIN. Try again.')).toBeInTheDocument();
    expect(screen.getByLabelText('PIN')).toHaveAttribute('aria-invalid', 'true');
    fireEvent.keyDown(screen.getByLabelText('PIN'), { key: 'Escape' });
    expect(onCancel).toHaveBeenCalledTimes(1);
  });

  it('is locked while throttled: no keys, no submit', async () => {
    const [left, setLeft] = createSignal(30);
    const onSubmit = vi.fn();
    render(() => <PinPad label="PIN" onSubmit={onSubmit} lockedFor={left()} />);
    expect(screen.getByRole('button', { name: '1' })).toBeDisabled();
    expect(screen.getByLabelText('PIN')).toBeDisabled();
    setLeft(0);
    expect(screen.getByRole('button', { name: '1' })).toBeEnabled();
  });
});
