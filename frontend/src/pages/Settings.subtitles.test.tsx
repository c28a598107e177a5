import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import App from '../App';
import { resetSessionForTests } from '../stores/session';
import { clearToasts } from '../stores/toasts';
import { clearSessionCookie, fakeApi, jsonResponse, sessionBody, testUser } from '../test/fakes';

const saved = {
  watchedThresholdPercent: 90, autoplayNext: true, subtitleLanguage: 'en', subtitleLanguages: ['en', 'de'],
  audioLanguage: null, theme: 'dark', region: null, updatedAt: null,
};

/** A settings API that keeps the single language and the list in step like the real one. */
function settingsApi() {
  const patches: Record<string, unknown>[] = [];
  let current: Record<string, unknown> = { ...saved };
  fakeApi({
    'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user: testUser }),
    'GET /api/v1/auth/me': () => jsonResponse(200, testUser),
    'GET /api/v1/settings': () => jsonResponse(200, current),
    'PATCH /api/v1/settings': async (request) => {
      const body = (await request.json()) as Record<string, unknown>;
      patches.push(body);
      current = { ...current, ...body, updatedAt: '2026-11-22T10:00:00Z' };
      return jsonResponse(200, current);
    },
  });
  window.history.replaceState(null, '', '/app/settings');
  render(() => <App />);
  return patches;
}

beforeEach(() => resetSessionForTests());
afterEach(() => {
  clearSessionCookie();
  clearToasts();
});

describe('settings: more subtitle languages', { timeout: 20_000 }, () => {
  it('shows the languages after the first, adds one at the end and removes one, sending the whole list', async () => {
    const user = userEvent.setup();
    const patches = settingsApi();
    const list = await screen.findByRole('list', { name: 'More subtitle languages' }, { timeout: 15_000 });
    expect(within(list).getAllByRole('listitem').map((item) => item.textContent)).toEqual([expect.stringMatching(/German|Deutsch/)]);

    await user.selectOptions(screen.getByRole('combobox', { name: 'More subtitle languages' }), 'fr');
    await waitFor(() => expect(patches).toEqual([{ subtitleLanguage: 'en', subtitleLanguages: ['en', 'de', 'fr'] }]));
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(2));

    await user.click(within(list).getByRole('button', { name: /Remove (German|Deutsch)/ }));
    await waitFor(() => expect(patches[1]).toEqual({ subtitleLanguage: 'en', subtitleLanguages: ['en', 'fr'] }));
  });
});
