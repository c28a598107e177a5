import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { Modal, type ModalSize } from './Modal';

const open = (size?: ModalSize) =>
  render(() => (
    <Modal open onOpenChange={() => {}} title="Pick one" size={size}>
      <p>body</p>
    </Modal>
  ));

describe('modal sizes', () => {
  it.each([
    [undefined, 'max-w-md'],
    ['md', 'max-w-2xl'],
    ['lg', 'max-w-4xl'],
  ] as const)('size %s is %s wide, one width only', async (size, width) => {
    open(size);
    const dialog = await screen.findByRole('dialog', { name: 'Pick one' });
    const widths = [...dialog.classList].filter((c) => c.startsWith('max-w-'));
    expect(widths).toEqual([width]);
  });
});
