import { describe, expect, it } from 'vitest';
import type { ReleaseParsed } from '../../api/types';
import { points, releaseFacts, splitCandidates, swarmLine } from './labels';

const parsed = (over: ReleaseParsed): ReleaseParsed => ({ pack: false, seasons: [], episodes: [], languages: [], ...over });

describe('release facts', () => {
  it('names resolution, source, codec, HDR, what it holds and the group in that order', () => {
    expect(releaseFacts(parsed({ resolution: 2160, source: 'web-dl', codec: 'h265', hdr: 'dv', season: 1, episodes: [2], group: 'NTb' })))
      .toEqual(['2160p', 'WEB-DL', 'H.265', 'Dolby Vision', 'S01E02', 'NTb']);
  });

  it('says season pack, episode ranges, and leaves out what the name did not say', () => {
    expect(releaseFacts(parsed({ season: 3, pack: true, source: 'bluray' }))).toEqual(['BluRay', 'Season pack S03']);
    expect(releaseFacts(parsed({ seasons: [1], episodes: [1, 2, 3] }))).toEqual(['S01E01–E03']);
    expect(releaseFacts(parsed({ source: 'something-new', codec: 'theora' }))).toEqual(['something-new', 'theora']);
    expect(releaseFacts(parsed({}))).toEqual([]);
  });
});

describe('candidate helpers', () => {
  it('rounds and clamps score points to 0–100', () => {
    expect([points(88.5), points(-3), points(140), points(null)]).toEqual([89, 0, 100, 0]);
  });

  it('keeps the ranked order on each side of the reject line', () => {
    const c = (name: string, rejected: string | null) => ({ name, rejected }) as Parameters<typeof splitCandidates>[0][number];
    const { fits, rejected } = splitCandidates([c('a', null), c('x', 'CAM'), c('b', null), c('y', 'wrong episode')]);
    expect(fits.map((f) => f.name)).toEqual(['a', 'b']);
    expect(rejected.map((r) => r.name)).toEqual(['x', 'y']);
  });

  it('describes the swarm with singular and unknown counts', () => {
    expect(swarmLine({ seeders: 1, leechers: 0 })).toBe('1 seeder · 0 leechers');
    expect(swarmLine({ seeders: 1200, leechers: null })).toBe('1,200 seeders');
    expect(swarmLine({ seeders: null, leechers: null })).toBe('');
  });
});
