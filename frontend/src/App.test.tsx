import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { beforeEach, describe, expect, it } from 'vitest';
import App from './App';
import { footerNav, primaryNav } from './navigation';
import { healthyReport, jsonResponse, stubFetch } from './test/fakes';

function visit(path: string) {
  window.history.replaceState(null, '', path);
  return render(() => <App />);
}

const allNavItems = [...primaryNav.flatMap((group) => group.items), ...footerNav];

describe('routing', () => {
  beforeEach(() => {
    stubFetch(() => jsonResponse(200, healthyReport));
  });

  it('redirects / to the dashboard', async () => {
    visit('/');
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    await waitFor(() => expect(window.location.pathname).toBe('/app/dashboard'));
  });

  it.each(['/nowhere', '/app', '/app/not-a-page'])('redirects unknown path %s to the dashboard', async (path) => {
    visit(path);
    expect(await screen.findByRole('heading', { level: 1, name: 'Dashboard' })).toBeInTheDocument();
    await waitFor(() => expect(window.location.pathname).toBe('/app/dashboard'));
  });

  it('renders the page for the path and marks its nav link current', async () => {
    visit('/app/watch-later');
    expect(await screen.findByRole('heading', { level: 1, name: 'Watch later' })).toBeInTheDocument();
    expect(screen.getByRole('heading', { name: 'Nothing saved for later' })).toBeInTheDocument();

    const nav = screen.getByRole('navigation', { name: 'Main' });
    const current = nav.querySelectorAll('[aria-current="page"]');
    expect([...current].map((link) => link.getAttribute('href'))).toEqual(['/app/watch-later']);
    expect(document.title).toBe('Watch later · /seen/');
  });

  it.each(allNavItems.map((item) => [item.href, item.label] as const))(
    'sidebar link %s opens a page titled "%s"',
    async (href, label) => {
      visit(href);
      const heading = await screen.findByRole('heading', { level: 1 });
      expect(heading).toHaveTextContent(label);
      expect(window.location.pathname).toBe(href);
    },
  );

  it('navigates client-side when a sidebar link is clicked', async () => {
    visit('/app/dashboard');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    fireEvent.click(screen.getByRole('link', { name: 'Downloads' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Downloads' })).toBeInTheDocument();
    await waitFor(() => expect(window.location.pathname).toBe('/app/downloads'));
  });
});

describe('top bar', () => {
  beforeEach(() => {
    stubFetch(() => jsonResponse(200, healthyReport));
  });

  it('focuses the search with "/" but not while typing elsewhere', async () => {
    const user = userEvent.setup();
    visit('/app/dashboard');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    const search = screen.getByRole('searchbox', { name: 'Search movies, shows and games' });

    await user.keyboard('/');
    expect(search).toHaveFocus();
    await user.keyboard('dune/');
    expect(search).toHaveValue('dune/');

    await user.keyboard('{Escape}');
    expect(search).not.toHaveFocus();
  });

  it('switches and persists the theme from the labelled radio group', async () => {
    const user = userEvent.setup();
    visit('/app/dashboard');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    const themes = screen.getByRole('radiogroup', { name: 'Theme' });
    await user.click(within(themes).getByText('Light'));
    await waitFor(() => expect(document.documentElement.getAttribute('data-theme')).toBe('light'));
    expect(localStorage.getItem('seen.theme')).toBe('light');
  });

  it('shows the service status from the health endpoint', async () => {
    visit('/app/movies');
    expect(await screen.findByRole('link', { name: 'Service status: All services running' })).toBeInTheDocument();
  });
});

describe('phone navigation drawer', () => {
  beforeEach(() => {
    stubFetch(() => jsonResponse(200, healthyReport));
  });

  it('opens as a dialog holding the nav and closes after navigating', async () => {
    const user = userEvent.setup();
    visit('/app/dashboard');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Open navigation' }));
    const drawer = await screen.findByRole('dialog', { name: 'Navigation' });
    await user.click(within(drawer).getByRole('link', { name: 'Library' }));

    expect(await screen.findByRole('heading', { level: 1, name: 'Library' })).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });
});
