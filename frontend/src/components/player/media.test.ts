import { describe, expect, it } from 'vitest';
import { resumeAt } from './media';
import { clock } from './PlayerControls';

describe('player helpers', () => {
  it('resumes at the saved position unless it is at the very end', () => {
    expect(resumeAt(600, 2880)).toBe(600);
    expect(resumeAt(3, 10)).toBe(3);
    expect(resumeAt(2879.5, 2880)).toBe(0);
    expect(resumeAt(null, 2880)).toBe(0);
    expect(resumeAt(42, null)).toBe(42);
  });

  it('formats the clock', () => {
    expect(clock(0)).toBe('0:00');
    expect(clock(75.9)).toBe('1:15');
    expect(clock(3725)).toBe('1:02:05');
    expect(clock(Number.NaN)).toBe('0:00');
  });
});
