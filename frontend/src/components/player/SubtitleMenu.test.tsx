import { render, screen } from '@solidjs/testing-library';
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
  it('lists the preferred languages first, then the rest alphabetically, Off on top', async () => {
    const user = userEvent.setup();
    renderMenu(['fr', 'en']);
    await user.click(screen.getByRole('button', { name: 'Subtitles' }));
    const items = await screen.findAllByRole('menuitemradio');
    expect(items.map((item) => item.textContent)).toEqual(['Off', 'French', 'EnglishOpenSubtitles', 'Arabic', 'German']);
  });

  it('says where a fetched track came from, and selecting it reports its own index', async () => {
    const user = userEvent.setup();
    const picked = renderMenu(['en']);
    await user.click(screen.getByTestId('subtitle-menu'));
    const hints = await screen.findAllByTestId('subtitle-source');
    expect(hints.map((hint) => hint.textContent)).toEqual(['OpenSubtitles']);
    await user.click(screen.getByRole('menuitemradio', { name: /English/ }));
    expect(picked).toEqual([2]);
  });

  it('without a preference lists every track by name', async () => {
    const user = userEvent.setup();
    renderMenu(null);
    await user.click(screen.getByRole('button', { name: 'Subtitles' }));
    const items = await screen.findAllByRole('menuitemradio');
    expect(items.map((item) => item.textContent)).toEqual(['Off', 'Arabic', 'EnglishOpenSubtitles', 'French', 'German']);
  });

  it('keeps the server order (preferred first already) when not told the languages', async () => {
    const user = userEvent.setup();
    renderMenu(undefined);
    await user.click(screen.getByRole('button', { name: 'Subtitles' }));
    const items = await screen.findAllByRole('menuitemradio');
    expect(items.map((item) => item.textContent)).toEqual(['Off', 'German', 'Arabic', 'EnglishOpenSubtitles', 'French']);
  });
});
