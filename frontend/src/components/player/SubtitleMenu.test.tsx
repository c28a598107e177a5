import { render, screen, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { createSignal } from 'solid-js';
import { describe, expect, it } from 'vitest';
import { SubtitleMenu } from './SubtitleMenu';

const tracks = [
  { language: 'de', label: 'German', url: 'http://media.test/de.vtt', source: 'sidecar' },
  { language: 'ar', label: 'Arabic', url: 'http://media.test/ar.vtt', source: 'embedded' },
  { language: 'en', label: 'English', url: 'http://media.test/en.vtt', source: 'opensubtitles' },
  { language: 'fr', label: 'French', url: 'http://media.test/fr.vtt', source: 'sidecar' },
];

function renderMenu(preferred: string[] | null | undefined) {
  const picked: number[] = [];
  const [selected, setSelected] = createSignal(-1);
  render(() => (
    <SubtitleMenu tracks={tracks} selected={selected()} preferred={preferred} class=""
      onSelect={(index) => { picked.push(index); setSelected(index); }} />
  ));
  return picked;
}

describe('subtitle menu', () => {
  it('groups the tracks by where they came from, Off on top, preferred languages first in each group', async () => {
    const user = userEvent.setup();
    renderMenu(['fr', 'en']);
    await user.click(screen.getByRole('button', { name: 'Subtitles' }));
    const items = await screen.findAllByRole('menuitemradio');
    expect(items.map((item) => item.textContent)).toEqual(['Off', 'Arabic', 'French', 'German', 'English']);
    const groups = screen.getAllByTestId('subtitle-group');
    expect(groups.map((group) => [group.dataset.source, within(group).getAllByRole('menuitemradio').map((i) => i.textContent)])).toEqual([
      ['embedded', ['Arabic']],
      ['sidecar', ['French', 'German']],
      ['opensubtitles', ['English']],
    ]);
    expect(within(groups[0]!).getByText('In the video file')).toBeInTheDocument();
    expect(within(groups[1]!).getByText('Subtitle files')).toBeInTheDocument();
    expect(within(groups[2]!).getByText('OpenSubtitles')).toBeInTheDocument();
  });

  it('selecting a track in any group reports its own index, and Off reports -1', async () => {
    const user = userEvent.setup();
    const picked = renderMenu(['en']);
    await user.click(screen.getByTestId('subtitle-menu'));
    await user.click(await screen.findByRole('menuitemradio', { name: 'English' }));
    await user.click(screen.getByTestId('subtitle-menu'));
    await user.click(await screen.findByRole('menuitemradio', { name: 'French' }));
    await user.click(screen.getByTestId('subtitle-menu'));
    expect(await screen.findByRole('menuitemradio', { name: 'French' })).toHaveAttribute('aria-checked', 'true');
    await user.click(screen.getByRole('menuitemradio', { name: 'Off' }));
    expect(picked).toEqual([2, 3, -1]);
  });

  it('without a preference lists each group by name', async () => {
    const user = userEvent.setup();
    renderMenu(null);
    await user.click(screen.getByRole('button', { name: 'Subtitles' }));
    const items = await screen.findAllByRole('menuitemradio');
    expect(items.map((item) => item.textContent)).toEqual(['Off', 'Arabic', 'French', 'German', 'English']);
  });

  it('keeps the server order in each group when not told the languages', async () => {
    const user = userEvent.setup();
    renderMenu(undefined);
    await user.click(screen.getByRole('button', { name: 'Subtitles' }));
    const items = await screen.findAllByRole('menuitemradio');
    expect(items.map((item) => item.textContent)).toEqual(['Off', 'Arabic', 'German', 'French', 'English']);
  });
});

describe('subtitle timing in the menu', () => {
  it('shows the offset and auto-sync of the showing track, and steps it', async () => {
    const user = userEvent.setup();
    const steps: number[] = [];
    const synced: string[] = [];
    const [offset, setOffset] = createSignal(0);
    render(() => (
      <SubtitleMenu tracks={tracks} selected={0} class="" onSelect={() => undefined}
        timing={{ offset: offset(), sync: { status: 'done', offsetSeconds: -2.5 },
          onNudge: (d) => { steps.push(d); setOffset(Math.round((offset() + d * 0.1) * 10) / 10); },
          onAutoSync: () => synced.push('asked') }} />
    ));
    await user.click(screen.getByRole('button', { name: 'Subtitles' }));
    expect(await screen.findByTestId('subtitle-offset')).toHaveTextContent('0.0 s');
    await user.click(screen.getByTestId('subtitle-later'));
    await user.click(screen.getByTestId('subtitle-later'));
    await user.click(screen.getByTestId('subtitle-earlier'));
    expect(steps).toEqual([1, 1, -1]);
    expect(screen.getByTestId('subtitle-offset')).toHaveTextContent('+0.1 s'); // the menu stayed open
    expect(screen.getByTestId('subtitle-sync-status')).toHaveTextContent('Synced (−2.5 s)');
    await user.click(screen.getByTestId('subtitle-auto-sync'));
    expect(synced).toEqual(['asked']);
  });

  it('has no timing group while subtitles are off', async () => {
    const user = userEvent.setup();
    render(() => (
      <SubtitleMenu tracks={tracks} selected={-1} class="" onSelect={() => undefined}
        timing={{ offset: 0, sync: null, onNudge: () => undefined, onAutoSync: () => undefined }} />
    ));
    await user.click(screen.getByRole('button', { name: 'Subtitles' }));
    await screen.findAllByRole('menuitemradio');
    expect(screen.queryByTestId('subtitle-timing')).toBeNull();
  });
});
