import { describe, expect, it } from 'vitest';
import { POLL_MS } from '../downloads/status';
import { downloadText, FILING_POLL_MS, videoPhase, videoPollMs, viewsLabel, watchPercent } from './videoState';

const dl = (status: string, percent = 0) => ({ libraryItemId: null, download: { id: 'j', status, percent } });

describe('a video on its way to the library', () => {
  it('is ready once the library holds it, whatever its download says', () => {
    expect(videoPhase({ libraryItemId: 'li', download: { id: 'j', status: 'failed', percent: 0 } })).toBe('ready');
    expect(downloadText({ libraryItemId: 'li', download: null })).toBe('In your library');
  });

  it('names each step of the download, with its percent while it moves', () => {
    expect(videoPhase({ libraryItemId: null, download: null })).toBe('none');
    expect(downloadText({ libraryItemId: null, download: null })).toBeUndefined();
    expect(downloadText(dl('queued', 0))).toBe('Queued');
    expect(downloadText(dl('downloading', 41.6))).toBe('Downloading 42%');
    expect(downloadText(dl('downloading', 0))).toBe('Downloading');
    expect(videoPhase(dl('completed', 100))).toBe('filing');
    expect(downloadText(dl('completed', 100))).toBe('Adding to your library…');
    expect(videoPhase(dl('failed'))).toBe('stopped');
    expect(downloadText(dl('cancelled'))).toBe('Cancelled');
  });

  it('treats a status it does not know as still running', () => {
    expect(videoPhase(dl('transcoding', 10))).toBe('active');
    expect(downloadText(dl('transcoding', 10))).toBe('Getting 10%');
  });

  it('polls fast while a download runs, slower until it is filed, and not at all after', () => {
    expect(videoPollMs([dl('completed'), dl('downloading', 3)])).toBe(POLL_MS);
    expect(videoPollMs([dl('completed'), { libraryItemId: 'li', download: null }])).toBe(FILING_POLL_MS);
    expect(videoPollMs([dl('failed'), { libraryItemId: null, download: null }])).toBe(false);
    expect(videoPollMs([])).toBe(false);
  });
});

describe('card labels', () => {
  it('shows the watch progress only with a known duration', () => {
    expect(watchPercent({ progress: { positionSeconds: 300, durationSeconds: 1200 } })).toBe(25);
    expect(watchPercent({ progress: { positionSeconds: 300, durationSeconds: null } })).toBeUndefined();
    expect(watchPercent({ progress: { positionSeconds: 5000, durationSeconds: 1200 } })).toBe(100);
    expect(watchPercent({ progress: null })).toBeUndefined();
  });

  it('counts views compactly, and says nothing when YouTube did not', () => {
    expect(viewsLabel(1)).toBe('1 view');
    expect(viewsLabel(0)).toBe('0 views');
    expect(viewsLabel(12_400)).toMatch(/^12\.4\s?K views$/);
    expect(viewsLabel(null)).toBeUndefined();
  });
});
