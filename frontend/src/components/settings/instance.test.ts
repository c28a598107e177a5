import { describe, expect, it } from 'vitest';
import { draftOf, patchOf, previewOf, refusedFields, type Instance } from './instance';

const stored: Instance = {
  tmdbApiKey: { set: true, updatedAt: null },
  twitchClientId: 'abc',
  twitchClientSecret: { set: false, updatedAt: null },
  opensubtitlesApiKey: { set: false, updatedAt: null },
  omdbApiKey: { set: false, updatedAt: null },
  tvdbApiKey: { set: false, updatedAt: null },
  tvdbPin: { set: false, updatedAt: null },
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

describe('a refused save, beside the fields it sent', () => {
  const noKey = "This server has no key to encrypt secrets with, so this can't be saved. Ask the person who runs /seen/ to set one up (see README: Secrets).";

  it("puts the API's field messages beside their fields", () => {
    const error = { code: 'settings_key_missing', message: noKey, fields: { tmdbApiKey: noKey } };
    expect(refusedFields(error, ['tmdbApiKey'])).toEqual({ tmdbApiKey: noKey });
  });

  it('puts the sentence of a server without a settings key beside each secret sent when the API names none', () => {
    const error = { code: 'settings_key_missing', message: noKey, fields: {} };
    expect(refusedFields(error, ['omdbApiKey'])).toEqual({ omdbApiKey: noKey });
  });

  it('leaves other failures without field messages to the toast', () => {
    const error = { code: 'service_unavailable', message: 'The database is not reachable', fields: {} };
    expect(refusedFields(error, ['tmdbApiKey'])).toEqual({});
  });
});
