import { describe, expect, it } from 'vitest';
import { episodeCode, formatConfidence, itemSubtitle, itemTitle, looksPlayable } from './labels';

const ep = { id: 7, season: 1, episode: 2, title: 'Cat’s in the Bag' };

describe('library labels', () => {
  it('names movies by title and episodes by show, code and episode title', () => {
    expect(itemTitle({ title: 'Heat', episode: null })).toBe('Heat');
    expect(itemTitle({ title: 'Breaking Bad', episode: ep })).toBe('Breaking Bad · S01E02 · Cat’s in the Bag');
    expect(itemTitle({ title: 'Breaking Bad', episode: { ...ep, title: null } })).toBe('Breaking Bad · S01E02');
    expect(episodeCode(12, 105)).toBe('S12E105');
  });

  it('describes a card by year or episode code', () => {
    expect(itemSubtitle({ year: 1995, episode: null })).toBe('1995');
    expect(itemSubtitle({ year: 2008, episode: ep })).toBe('S01E02');
    expect(itemSubtitle({ year: null, episode: null })).toBeUndefined();
  });

  it('guesses playability from container, codec and the MP4 variant', () => {
    expect(looksPlayable({ container: 'mp4', videoCodec: 'h264' })).toBe(true);
    expect(looksPlayable({ container: 'mp4', videoCodec: null })).toBe(true);
    expect(looksPlayable({ container: 'mp4', videoCodec: 'hevc' })).toBe(false);
    expect(looksPlayable({ container: 'mkv', videoCodec: 'h264' })).toBe(false);
    expect(looksPlayable({ container: 'mkv', videoCodec: 'h264', hasMp4Variant: true })).toBe(true);
    expect(looksPlayable({ container: null, videoCodec: null })).toBe(false);
  });

  it('formats confidence as a percentage', () => {
    expect(formatConfidence(0.816)).toBe('82%');
    expect(formatConfidence(null)).toBe('—');
  });
});
