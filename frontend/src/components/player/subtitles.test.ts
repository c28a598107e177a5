import { describe, expect, it } from 'vitest';
import { baseLanguage, pickDefaultTrack, trackLabel } from './subtitles';

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
