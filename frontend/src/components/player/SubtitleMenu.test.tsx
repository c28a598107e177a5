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
