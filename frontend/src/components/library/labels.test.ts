import { describe, expect, it } from 'vitest';
import { canPlay, episodeCode, formatClock, formatConfidence, itemSubtitle, itemTitle, looksPlayable, versionCodecs, versionQuality } from './labels';

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

describe('versions', () => {
  it('names a version by resolution and source, and says so when neither is known', () => {
    expect(versionQuality({ resolution: '1080p', source: 'BluRay' })).toBe('1080p BluRay');
    expect(versionQuality({ resolution: '720p', source: null })).toBe('720p');
    expect(versionQuality({ resolution: null, source: null })).toBe('Unknown quality');
  });

  it('lists video then distinct audio codecs in their usual names', () => {
    expect(versionCodecs({ videoCodec: 'hevc', audioCodecs: ['dts', 'ac3', 'dts'] })).toBe('HEVC · DTS, AC3');
    expect(versionCodecs({ videoCodec: 'h264', audioCodecs: ['pcm_s16le'] })).toBe('H.264 · PCM');
    expect(versionCodecs({ videoCodec: null, audioCodecs: [] })).toBeUndefined();
  });

  it('formats a resume point like a player clock', () => {
    expect(formatClock(2530)).toBe('42:10');
    expect(formatClock(4330.9)).toBe('1:12:10');
    expect(formatClock(5)).toBe('0:05');
  });

  it('trusts the server play mode over the list guess', () => {
    expect(canPlay({ container: 'mkv', videoCodec: 'hevc', hasMp4Variant: false, playMode: 'hls' })).toBe(true);
    expect(canPlay({ container: 'mp4', videoCodec: 'h264', hasMp4Variant: false, playMode: 'damaged' })).toBe(false);
    expect(canPlay({ container: 'mkv', videoCodec: 'hevc', hasMp4Variant: false })).toBe(false);
  });
});
