import { describe, expect, it } from 'vitest';
import { draftOf, patchOf, previewOf, type Instance } from './instance';

const stored: Instance = {
  tmdbApiKey: { set: true, updatedAt: null },
  twitchClientId: 'abc',
  twitchClientSecret: { set: false, updatedAt: null },
  opensubtitlesApiKey: { set: false, updatedAt: null },
  omdbApiKey: { set: false, updatedAt: null },
  libraryRoots: ['/media/movies', '/media/shows'],
  downloadsMaxConcurrent: 3,
  downloadEventsRetentionDays: 90,
};

describe('instance settings patch', () => {
  it('is empty when nothing was edited', () => {
    expect(patchOf(draftOf(stored), stored)).toEqual({});
  });

  it('sends only what changed, with roots trimmed one per line and numbers as numbers', () => {
    const draft = { ...draftOf(stored), libraryRoots: ' /media/movies \n\n/mnt/new\n', downloadsMaxConcurrent: '5' };
    expect(patchOf(draft, stored)).toEqual({ libraryRoots: ['/media/movies', '/mnt/new'], downloadsMaxConcurrent: 5 });
  });

  it('turns an emptied field into null, which puts the default back', () => {
    const draft = { ...draftOf(stored), twitchClientId: '  ', downloadEventsRetentionDays: '' };
    expect(patchOf(draft, stored)).toEqual({ twitchClientId: null, downloadEventsRetentionDays: null });
  });

  it('never carries secrets: the preview of a values patch keeps the secret states', () => {
    const preview = previewOf(stored, { twitchClientId: null, downloadsMaxConcurrent: 7 });
    expect(preview).toEqual({ ...stored, twitchClientId: null, downloadsMaxConcurrent: 7 });
  });
});
