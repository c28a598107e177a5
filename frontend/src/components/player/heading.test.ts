import { describe, expect, it } from 'vitest';
import { fallbackHeading, headingText, qualityOf, releaseTitle } from './heading';

describe('the player heading', () => {
  it('names an episode under its show, a movie by its title', () => {
    expect(headingText({ title: 'Breaking Bad', season: 1, episode: 2, episodeTitle: 'Cat’s in the Bag' })).toBe('Breaking Bad · S01E02 · Cat’s in the Bag');
    expect(headingText({ title: 'Breaking Bad', season: 1, episode: 2 })).toBe('Breaking Bad · S01E02');
    expect(headingText({ title: 'The Matrix' })).toBe('The Matrix');
  });

  it('reads the quality from a release or file name', () => {
    expect(qualityOf('The.Matrix.1999.1080p.BluRay.x264.mkv')).toBe('1080p');
    expect(qualityOf(undefined, 'Show.S01.2160p.WEB-DL')).toBe('2160p');
    expect(qualityOf('Film.2024.4K.HDR.mkv')).toBe('2160p');
    expect(qualityOf('Show S01E01 720p')).toBe('720p');
    expect(qualityOf('Film.x1080px.mkv', 'no quality here')).toBeUndefined();
  });

  it('reads a title from a release name, or keeps the name when nothing marks where the title ends', () => {
    expect(releaseTitle('Slow.Horses.S01.720p.WEB-DL.x264-GRP')).toBe('Slow Horses');
    expect(releaseTitle('The.Matrix.1999.1080p.BluRay.x264-GRP')).toBe('The Matrix');
    expect(releaseTitle('Breaking Bad S01E02 1080p')).toBe('Breaking Bad');
    expect(releaseTitle('Blade_Runner_2049_2017_2160p.mkv')).toBe('Blade Runner 2049');
    expect(releaseTitle('1917.2019.1080p')).toBe('1917');
    expect(releaseTitle('home-video.mp4')).toBe('home-video.mp4');
  });

  it('names an unlinked file once: the release’s title, with the episode code of a pack’s file', () => {
    const file = { path: 'Slow.Horses.S01/Slow.Horses.S01E02.mp4', season: 1, episode: 2 };
    expect(fallbackHeading('Slow.Horses.S01.720p.WEB-DL', file)).toBe('Slow Horses · S01E02');
    expect(fallbackHeading('Slow Horses S01', file)).toBe('Slow Horses · S01E02');
    expect(fallbackHeading(null, { path: 'x/Film.2024.mkv' })).toBe('Film');
    expect(fallbackHeading(undefined, undefined)).toBe('Download');
  });
});
