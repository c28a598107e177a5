import { MemoryRouter } from '@solidjs/router';
import { render, screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { mergeProps, type JSX } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { DownloadStream, StreamWaiting } from '../../api/player';
import type { DownloadDetail } from '../../api/types';
import { fromDownload } from '../../components/player/streams';
import { WatchDownloadView, type WatchDownloadViewProps } from './WatchDownloadView';

// The view renders from plain props: no QueryClientProvider, and any request fails the test.
const job = { id: 'j1', title: 'Slow Horses S01', status: 'downloading', progress: 42, bytesDone: 420_000_000, bytesTotal: 1_000_000_000, speedBps: 5_000_000 } as DownloadDetail;
const file = { index: 0, path: 'Slow.Horses.S01/Slow.Horses.S01E01.mp4', size: 300_000_000, mimeType: 'video/mp4', season: 1, episode: 1 };
const stream = {
  url: 'http://worker.test/s/0?sig=1', mode: 'progressive', mimeType: 'video/mp4', fileIndex: 0, path: file.path, size: file.size, files: [file], next: null, subtitles: [],
} as unknown as DownloadStream;

function view(props: Partial<WatchDownloadViewProps>) {
  const all: WatchDownloadViewProps = mergeProps({
    theater: false, pending: false, title: 'Slow Horses · S01E01', prefs: { subtitleLanguage: null, autoplayNext: true },
    toPlayer: fromDownload, refresh: () => Promise.reject(new Error('no refresh in a view test')),
    onRetry: vi.fn(), onRetryPlayback: vi.fn(), onNext: vi.fn(), onStream: vi.fn(), onProgressError: vi.fn(), onFailure: vi.fn(),
  }, props);
  const root = (): JSX.Element => <WatchDownloadView {...all} />;
  render(() => <MemoryRouter root={root}>{[]}</MemoryRouter>);
  return all;
}

beforeEach(() => {
  vi.stubGlobal('fetch', vi.fn(() => Promise.reject(new Error('the view made a request'))));
  vi.spyOn(HTMLMediaElement.prototype, 'play').mockResolvedValue(undefined);
  vi.spyOn(HTMLMediaElement.prototype, 'pause').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
  vi.unstubAllGlobals();
});

describe('WatchDownloadView', () => {
  it('plays the stream it is given, with the download progress over it', () => {
    view({ stream, job, quality: '1080p' });
    expect(screen.getByTestId('player-video')).toHaveAttribute('src', 'http://worker.test/s/0?sig=1');
    expect(screen.getByTestId('streaming-badge')).toHaveTextContent('Streaming while downloading · 42%');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent(/^Slow Horses · S01E01$/);
    expect(screen.getByTestId('player-quality')).toHaveTextContent('1080p');
    expect(screen.getByTestId('player-details')).toHaveTextContent('Slow.Horses.S01E01.mp4 · 300 MB');
    expect(screen.getByText("Not linked to a title: your place in it isn't saved.")).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Downloads' })).toHaveAttribute('href', '/app/downloads');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('says what it waits for, with the live progress, while the file cannot play yet', () => {
    const notYet = { awaiting: 'pieces', message: 'Still downloading', retryAfter: 1 } as StreamWaiting;
    view({ notYet, job });
    const waiting = screen.getByTestId('player-buffering');
    expect(within(waiting).getByText('Starting… fetching the first pieces')).toBeInTheDocument();
    expect(within(waiting).getByText(/^42% · 420 MB of 1(\.0)? GB · ↓ 5(\.0)? MB\/s$/)).toBeInTheDocument();
    expect(screen.queryByTestId('player-video')).toBeNull();
  });

  it('holds the player while something besides the stream is pending', () => {
    view({ stream, job, pending: true });
    expect(screen.getByTestId('player-buffering')).toHaveTextContent('Loading the video…');
    expect(screen.queryByTestId('player-video')).toBeNull();
  });

  it('says why playback stopped and retries when asked', async () => {
    const props = view({ stream, job, stopped: 'The worker went away.' });
    expect(screen.getByRole('alert')).toHaveTextContent('Playback stoppedThe worker went away.');
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(props.onRetryPlayback).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('link', { name: 'Back to Downloads' })).toHaveAttribute('href', '/app/downloads');
  });

  it('says which release plays after the session switched, and tells the page where the player is', () => {
    const onStatus = vi.fn();
    view({ stream, job, notice: 'Switched to Film.720p.HDTV-GRP — the previous one stalled', onStatus });
    expect(screen.getByTestId('session-notice')).toHaveTextContent('Switched to Film.720p.HDTV-GRP — the previous one stalled');
    expect(onStatus).toHaveBeenCalledWith({ positionSeconds: 0, buffering: false, playing: false });
  });

  it('says a failed download cannot play, without a retry', () => {
    view({ error: new ApiError(409, 'not_streamable', 'The download failed.') });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent("This download can't play");
    expect(screen.queryByRole('button', { name: /try again/i })).toBeNull();
  });
});
