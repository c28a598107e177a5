import { describe, expect, it } from 'vitest';
import type { Download } from '../../api/types';
import { actorLabel, downloadTitle, episodeLabel, errorText, qualityLabel, releaseName, timelineMessage } from './labels';

const job = (overrides: Partial<Download> = {}): Download =>
  ({
    id: 'j', sourceType: 'magnet', title: 'The.Matrix.1999.1080p.WEB-DL.x265-GRP', status: 'downloading', attempt: 1, retryCount: 0,
    progress: 0, bytesDone: 0, createdAt: '', updatedAt: '', ...overrides,
  }) as Download;
const matrix = { id: 603, mediaType: 'movie', title: 'The Matrix', year: 1999 } as Download['media'];

describe('download labels', () => {
  it('calls a download by its title and episode, and by its release name only when it has no title', () => {
    expect(downloadTitle(job({ media: matrix }))).toBe('The Matrix');
    expect(downloadTitle(job({ media: { ...matrix!, title: 'Breaking Bad', mediaType: 'show' }, season: 1, episode: 2 }))).toBe('Breaking Bad · S01E02');
    expect(downloadTitle(job({ media: { ...matrix!, title: 'Breaking Bad', mediaType: 'show' }, season: 1, episode: null }))).toBe('Breaking Bad · Season 1');
    expect(downloadTitle(job())).toBe('The.Matrix.1999.1080p.WEB-DL.x265-GRP');
    expect(releaseName(job({ title: null, source: 'https://example.com/a/b.mkv' }))).toBe('example.com');
    expect(releaseName(job({ title: null, infoHash: 'abcdef0123456789abcd' }))).toBe('Torrent abcdef012345…');
    expect(episodeLabel({ season: null, episode: null })).toBe('');
  });

  it('reads the quality of the pick without what the release holds or its group', () => {
    expect(qualityLabel({ resolution: 1080, source: 'web-dl', codec: 'h265', hdr: 'hdr10', pack: true, season: 1, group: 'NTb' })).toBe('1080p · WEB-DL · H.265 · HDR10');
    expect(qualityLabel({ resolution: 2160 })).toBe('2160p');
    expect(qualityLabel(null)).toBe('');
  });

  it('says errors in words: retrying while it will be tried again, the last reason when it gave up', () => {
    expect(errorText({ errorCode: 'worker_lost_job', errorMessage: 'The worker running this download stopped reporting on it', status: 'stalled' })).toBe(
      'The worker stopped responding; retrying',
    );
    expect(errorText({ errorCode: 'worker_lost_job', errorMessage: null, status: 'retrying' })).toBe('The worker stopped responding; retrying');
    expect(errorText({ errorCode: 'no_peers', errorMessage: 'x', status: 'stalled' })).toBe('Nobody is sharing this right now; retrying');
    expect(errorText({ errorCode: 'invalid_magnet', errorMessage: 'x', status: 'failed' })).toBe("The magnet link can't be read");
    expect(errorText({ errorCode: 'http_404', errorMessage: 'The server answered 404', status: 'failed' })).toBe('The server answered 404');
    expect(errorText({ errorCode: 'retries_exhausted', errorMessage: 'Still stalled after 3 retries (last: worker_lost_job)', status: 'failed' })).toBe(
      'Gave up after 3 tries (last: the worker stopped responding)',
    );
    // A code this map does not know keeps the server's own sentence; no error, no text.
    expect(errorText({ errorCode: 'something_new', errorMessage: 'A sentence from the server', status: 'failed' })).toBe('A sentence from the server');
    expect(errorText({ errorCode: null, errorMessage: null, status: 'failed' })).toBeUndefined();
  });

  it('names who wrote a timeline entry', () => {
    expect(actorLabel('reconciler')).toBe('automatic check');
    expect(actorLabel('api')).toBe('you');
  });

  it("puts the watchdog's timeline codes in words and keeps sentences", () => {
    expect(timelineMessage({ message: 'worker lost job', data: { workerId: 'vm' } })).toBe('The worker stopped responding');
    expect(timelineMessage({ message: 'retry scheduled', data: { retry: 1, lastErrorCode: 'no_peers' } })).toBe('Trying again (after: nobody is sharing this right now)');
    expect(timelineMessage({ message: 'retries exhausted', data: { lastErrorCode: 'worker_offline' } })).toBe('Gave up after 3 tries (after: the worker is offline)');
    expect(timelineMessage({ message: 'cancelled by the user', data: {} })).toBe('cancelled by the user');
    expect(timelineMessage({ message: 'The server answered 404', data: {} })).toBe('The server answered 404');
    expect(timelineMessage({ message: null })).toBeUndefined();
  });
});
