import { render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import type { SkipSegmentInfo } from './segments';
import { SkipSegment } from './SkipSegment';

const segments: SkipSegmentInfo[] = [
  { kind: 'intro', start: 5, end: 25 },
  { kind: 'credits', start: 75, end: 90 },
];

function renderSkip(autoSkip: boolean) {
  const [position, setPosition] = createSignal(0);
  const skips: number[] = [];
  render(() => <SkipSegment segments={segments} position={position()} autoSkip={autoSkip} onSkip={(s) => skips.push(s)} />);
  return { setPosition, skips };
}

describe('skip segment button', () => {
  it('shows Skip intro inside the intro and jumps to its end when clicked', async () => {
    const user = userEvent.setup();
    const { setPosition, skips } = renderSkip(false);
    expect(screen.queryByRole('button')).toBeNull();
    setPosition(6);
    await user.click(screen.getByRole('button', { name: 'Skip intro' }));
    expect(skips).toEqual([25]);
    setPosition(40);
    expect(screen.queryByRole('button')).toBeNull();
    setPosition(76);
    expect(screen.getByRole('button', { name: 'Skip credits' })).toBeTruthy();
  });

  it('with auto-skip jumps past each segment once, and not again when the viewer goes back into it', () => {
    const { setPosition, skips } = renderSkip(true);
    setPosition(5.5);
    expect(skips).toEqual([25]);
    setPosition(6); // still inside (the seek has not landed yet): no second jump
    setPosition(40);
    setPosition(10); // the viewer seeks back into the intro on purpose
    expect(skips).toEqual([25]);
    setPosition(80);
    expect(skips).toEqual([25, 90]);
  });
});
