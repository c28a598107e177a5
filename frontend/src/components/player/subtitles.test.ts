import { describe, expect, it } from 'vitest';
import { baseLanguage, menuGroups, menuOrder, pickDefaultTrack, preferredList, trackLabel } from './subtitles';

describe('default subtitle track', () => {
  const tracks = [
    { language: 'fre' },
    { language: 'eng', isForced: true },
    { language: 'en' },
    { language: 'en-GB', isDefault: true },
  ];

  it('stays off without a preferred language', () => {
    expect(pickDefaultTrack(tracks, null)).toBe(-1);
  });

  it('matches language codes across forms, preferring full tracks, then the default flag', () => {
    expect(pickDefaultTrack(tracks, 'en')).toBe(3);
    expect(pickDefaultTrack(tracks.slice(0, 3), 'eng')).toBe(2);
    expect(pickDefaultTrack(tracks.slice(0, 2), 'en-US')).toBe(1);
    expect(pickDefaultTrack(tracks, 'fr')).toBe(0);
    expect(pickDefaultTrack(tracks, 'de')).toBe(-1);
  });

  it('normalises codes and names tracks', () => {
    expect(baseLanguage('ENG')).toBe('en');
    expect(baseLanguage('pt_BR')).toBe('pt');
    expect(trackLabel({ language: 'en', label: 'English SDH' })).toBe('English SDH');
    expect(trackLabel({ language: 'ger' })).toMatch(/German|Deutsch/);
    expect(trackLabel({ language: 'en', isForced: true })).toMatch(/\(forced\)$/);
  });
});

describe('preferred subtitle languages', () => {
  const tracks = [
    { language: 'de', label: 'Deutsch', source: 'sidecar' },
    { language: 'fr', source: 'opensubtitles' },
    { language: 'ar' },
    { language: 'eng', isForced: true },
    { language: 'en-US', source: 'opensubtitles' },
  ];

  it('picks the first preferred language that has a track', () => {
    expect(pickDefaultTrack(tracks, ['it', 'en', 'fr'])).toBe(4);
    expect(pickDefaultTrack(tracks, ['fr', 'en'])).toBe(1);
    expect(pickDefaultTrack(tracks, ['it'])).toBe(-1);
    expect(pickDefaultTrack(tracks, [])).toBe(-1);
    expect(pickDefaultTrack(tracks, 'de')).toBe(0);
  });

  it('lists the preferred languages first, in order, then the rest by name', () => {
    const order = menuOrder(tracks, ['fr', 'en']);
    expect(order.slice(0, 3)).toEqual([1, 3, 4]);
    const rest = order.slice(3).map((i) => trackLabel({ language: tracks[i]!.language }));
    expect(rest).toEqual([...rest].sort((a, b) => a.localeCompare(b)));
    expect(new Set(order)).toEqual(new Set([0, 1, 2, 3, 4]));
    expect(menuOrder(tracks, null)).toHaveLength(5);
    expect(preferredList(['en-GB', 'eng', null, 'FR'])).toEqual(['en', 'fr']);
  });

  it('groups tracks by source: in the file, subtitle files, OpenSubtitles, then tracks of no known source', () => {
    const mixed = [
      { language: 'de', source: 'opensubtitles' },
      { language: 'fr', source: null },
      { language: 'en', source: 'sidecar' },
      { language: 'es', source: 'embedded' },
      { language: 'en', source: 'embedded', isForced: true },
      { language: 'it', source: 'sidecar' },
    ];
    expect(menuGroups(mixed, ['en'])).toEqual([
      { source: 'embedded', label: 'In the video file', indices: [4, 3] },
      { source: 'sidecar', label: 'Subtitle files', indices: [2, 5] },
      { source: 'opensubtitles', label: 'OpenSubtitles', indices: [0] },
      { source: null, label: 'Other tracks', indices: [1] },
    ]);
    // Undefined: the server's order in each group; no source at all: one group without a heading.
    expect(menuGroups(mixed, undefined)[1]).toEqual({ source: 'sidecar', label: 'Subtitle files', indices: [2, 5] });
    expect(menuGroups([{ language: 'en' }, { language: 'de' }], undefined)).toEqual([{ source: null, label: null, indices: [0, 1] }]);
    expect(menuGroups([], ['en'])).toEqual([]);
  });
});
