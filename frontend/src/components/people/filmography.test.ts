import { describe, expect, it } from 'vitest';
import type { CrewCredit, FilmographyEntry } from '../../api/types';
import { departmentOf, groupFilmography, keyCrew, lifeYears, seenCount } from './filmography';

const entry = (mediaId: number, year: number | null, kind: 'cast' | 'crew', role: string, seen = false): FilmographyEntry => ({
  mediaId, mediaType: 'movie', title: `Title ${mediaId}`, year, role, kind, posterUrl: null, seen,
});

describe('filmography', () => {
  it('groups by what the person did, their own department first, each group newest first', () => {
    const groups = groupFilmography(
      [
        entry(1, 1995, 'crew', 'Director'),
        entry(2, 2004, 'cast', 'Vincent'),
        entry(3, 2009, 'crew', 'Director'),
        entry(1, 1995, 'crew', 'Screenplay'),
        entry(4, 1981, 'crew', 'Director of Photography'),
        entry(5, null, 'crew', 'Writer'),
      ],
      'Directing',
    );
    expect(groups.map((g) => g.label)).toEqual(['Directing', 'Acting', 'Writing', 'Camera']);
    expect(groups[0]!.rows.map((r) => r.mediaId)).toEqual([3, 1]);
    // Undated (announced) titles lead their group.
    expect(groups[2]!.rows.map((r) => r.mediaId)).toEqual([5, 1]);
  });

  it('makes one row of a title with two jobs in the same department', () => {
    const [writing] = groupFilmography([entry(1, 2000, 'crew', 'Screenplay'), entry(1, 2000, 'crew', 'Story', true)]);
    expect(writing!.rows).toHaveLength(1);
    expect(writing!.rows[0]!.roles).toEqual(['Screenplay', 'Story']);
    expect(writing!.rows[0]!.seen).toBe(true);
  });

  it('counts distinct titles seen, a title in two groups once', () => {
    expect(seenCount([entry(1, 2000, 'cast', 'A', true), entry(1, 2000, 'crew', 'Director', true), entry(2, 2001, 'cast', 'B')])).toEqual({ seen: 1, total: 2 });
  });

  it('names departments from crew jobs', () => {
    expect(departmentOf({ kind: 'crew', role: 'Original Music Composer' })).toBe('Sound');
    expect(departmentOf({ kind: 'crew', role: 'Executive Producer' })).toBe('Production');
    expect(departmentOf({ kind: 'crew', role: 'Gaffer' })).toBe('Crew');
    expect(departmentOf({ kind: 'cast', role: null })).toBe('Acting');
  });

  it('picks the key crew in a fixed order, each person once per job', () => {
    const crew: CrewCredit[] = [
      { personId: 3, name: 'Composer', job: 'Original Music Composer' },
      { personId: 2, name: 'Writer', job: 'Screenplay' },
      { personId: 1, name: 'Director', job: 'Director' },
      { personId: 1, name: 'Director', job: 'Director' },
      { personId: 9, name: 'Grip', job: 'Key Grip' },
    ];
    expect(keyCrew(crew).map((g) => [g.job, g.people.length])).toEqual([['Director', 1], ['Screenplay', 1], ['Original Music Composer', 1]]);
  });

  it('writes life years', () => {
    expect(lifeYears(1943, 2024)).toBe('1943–2024');
    expect(lifeYears(1962, null)).toBe('Born 1962');
    expect(lifeYears(null, null)).toBeUndefined();
  });
});
