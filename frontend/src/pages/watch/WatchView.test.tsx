import { MemoryRouter } from '@solidjs/router';
import { fireEvent, render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { createSignal, mergeProps, type JSX } from 'solid-js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../api/client';
import type { LibraryStream } from '../../api/player';
import type { LibraryItemDetail } from '../../components/library/labels';
import { WatchView, type WatchViewProps } from './WatchView';

// The view renders from plain props: no QueryClientProvider, and any request fails the test.
const item = {
  id: 'e1', fileName: 'bb.s01e02.1080p.mp4', title: 'Breaking Bad', matchState: 'matched', durationSeconds: 2880, sizeBytes: 1_500_000_000,
  media: { id: 22, mediaType: 'show', title: 'Breaking Bad' }, episode: { id: 202, season: 1, episode: 2, title: 'Cat’s in the Bag' },
} as unknown as LibraryItemDetail;
const stream = {
  url: 'http://media.test/e1?sig=1', expiresAt: '2026-11-01T12:00:00Z', kind: 'original', mimeType: 'video/mp4', playable: true, subtitles: [],
} as unknown as LibraryStream;

function view(props: Partial<WatchViewProps>) {
  const all: WatchViewProps = mergeProps({
    theater: false, loading: false, title: 'Breaking Bad · S01E02 · Cat’s in the Bag', prefs: { subtitleLanguage: null, autoplayNext: true },
    refresh: () => Promise.reject(new Error('no refresh in a view test')),
    onRetry: vi.fn(), onRetryPlayback: vi.fn(), onNext: vi.fn(), onPlaying: vi.fn(), onProgressError: vi.fn(), onFailure: vi.fn(),
  }, props);
  const root = (): JSX.Element => <WatchView {...all} />;
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

describe('WatchView', () => {
  it('plays the file it is given, headed by its title, quality and details', () => {
    view({ file: { item, stream } });
    expect(screen.getByTestId('player-video')).toHaveAttribute('src', 'http://media.test/e1?sig=1');
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Breaking Bad · S01E02 · Cat’s in the Bag');
    expect(screen.getByTestId('player-quality')).toHaveTextContent('1080p');
    expect(screen.getByTestId('player-details')).toHaveTextContent(/^48m 0s · 1\.5 GB · bb\.s01e02\.1080p\.mp4$/);
    expect(screen.getByRole('link', { name: 'Library' })).toHaveAttribute('href', '/app/library');
    expect(fetch).not.toHaveBeenCalled();
  });

  it('shows the loading state until the file and preferences are there', () => {
    const [file, setFile] = createSignal<WatchViewProps['file']>();
    const [loading, setLoading] = createSignal(true);
    view({ get file() { return file(); }, get loading() { return loading(); } });
    expect(screen.getByText('Loading the video…')).toBeInTheDocument();
    setFile({ item, stream });
    expect(screen.queryByTestId('player-video')).toBeNull();
    setLoading(false);
    expect(screen.getByTestId('player-video')).toBeInTheDocument();
  });

  it('says why playback stopped and retries when asked', async () => {
    const props = view({ file: { item, stream }, stopped: 'The link expired.' });
    expect(screen.getByRole('alert')).toHaveTextContent('Playback stoppedThe link expired.');
    expect(screen.queryByTestId('player-video')).toBeNull();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(props.onRetryPlayback).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('link', { name: 'Back to the library' })).toHaveAttribute('href', '/app/library');
  });

  it('hands the player’s status on, for the playback session’s heartbeats', () => {
    const onStatus = vi.fn();
    view({ file: { item, stream }, onStatus });
    const video = screen.getByTestId('player-video');
    Object.defineProperty(video, 'currentTime', { configurable: true, value: 61 });
    fireEvent(video, new Event('timeupdate'));
    fireEvent(video, new Event('play'));
    expect(onStatus).toHaveBeenLastCalledWith({ positionSeconds: 61, buffering: true, playing: true }); // waits for data
    fireEvent(video, new Event('playing'));
    expect(onStatus).toHaveBeenLastCalledWith({ positionSeconds: 61, buffering: false, playing: true });
  });

  it('names a file gone from the library', () => {
    view({ error: new ApiError(404, 'not_found', 'No such file') });
    expect(screen.getByRole('heading', { level: 1 })).toHaveTextContent('Not in your library');
    expect(screen.getByText('This file is not in the library any more')).toBeInTheDocument();
  });

  it('says what to do when every mode failed on the server', () => {
    view({ error: new ApiError(422, 'media_unplayable', 'The codec is not supported.') });
    expect(screen.getByRole('alert')).toHaveTextContent("This file can't playThe codec is not supported.");
  });

  it('says what is prepared while the version is made', () => {
    view({ file: { item, stream: { ...stream, ready: false, notice: 'Converting the audio' } as LibraryStream } });
    expect(screen.getByTestId('player-buffering')).toHaveTextContent('Converting the audio');
    expect(screen.queryByTestId('player-video')).toBeNull();
  });
});
