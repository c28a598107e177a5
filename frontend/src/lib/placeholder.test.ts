import { describe, expect, it } from 'vitest';
import { hashString, initials, placeholderArt } from './placeholder';

describe('poster placeholder art', () => {
  it.each([
    ['The Dark Knight', 'DK'],
    ['Inception', 'I'],
    ['Spirited Away', 'SA'],
    ['The Lord of the Rings: The Two Towers', 'LR'],
    ['Amélie', 'A'],
    ['2001: A Space Odyssey', '2S'],
    ['The', 'T'],
    ['  ', '?'],
  ])('initials of %j are %j', (title, expected) => {
    expect(initials(title)).toBe(expected);
  });

  it('is deterministic: the same title always gets the same art', () => {
    expect(placeholderArt('Heat')).toEqual(placeholderArt('Heat'));
    expect(placeholderArt('Heat')).toEqual(placeholderArt('  heat '));
  });

  it('gives different titles different colours', () => {
    const titles = ['Heat', 'Alien', 'Fargo', 'Drive', 'Her', 'Dune', 'Up', 'Jaws'];
    const hues = new Set(titles.map((t) => placeholderArt(t).hue));
    expect(hues.size).toBeGreaterThan(5);
  });

  it('keeps hues in the brand range (teal to magenta)', () => {
    for (let i = 0; i < 200; i += 1) {
      const { hue } = placeholderArt(`title ${i}`);
      expect(hue).toBeGreaterThanOrEqual(185);
      expect(hue).toBeLessThan(305);
    }
  });

  it('hashes with FNV-1a', () => {
    expect(hashString('')).toBe(0x811c9dc5);
    expect(hashString('a')).toBe(0xe40c292c);
  });
});
