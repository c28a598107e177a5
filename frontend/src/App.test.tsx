import { fireEvent, render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import type { RouteDefinition } from '@solidjs/router';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from './App';
import { footerNav, primaryNav } from './navigation';
import { routes } from './routes';
import { resetSessionForTests } from './stores/session';
import { clearSessionCookie, fakeApi, jsonResponse, sessionBody } from './test/fakes';

function visit(path: string) {
  window.history.replaceState(null, '', path);
  return render(() => <App />);
}

const allNavItems = [...primaryNav.flatMap((group) => group.items), ...footerNav];

/** Every lazy page of the route tree (a lazy component has `preload()`). */
function lazyPages(list: RouteDefinition[]): (() => Promise<unknown>)[] {
  return list.flatMap((route) => {
    const preload = (route.component as { preload?: () => Promise<unknown> } | undefined)?.preload;
    const children = route.children === undefined ? [] : Array.isArray(route.children) ? route.children : [route.children];
    return [...(preload ? [preload] : []), ...lazyPages(children)];
  });
}

// Each page is a lazy chunk that vite compiles on first import; under load that alone can
// outlast findBy*'s timeout, so every chunk is compiled here, outside the timed tests.
beforeAll(() => Promise.all(lazyPages(routes).map((preload) => preload())), 120_000);

// Every case starts signed out in memory; fakeApi sets the CSRF cookie, so the
// shell restores the session through /auth/refresh like a reload would.
beforeEach(() => resetSessionForTests());
afterEach(() => clearSessionCookie());

describe('routing', () => {
  beforeEach(() => {
    fakeApi();
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
    expect(await screen.findByRole('heading', { name: 'Nothing saved for later' })).toBeInTheDocument();

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
    fakeApi();
  });

  it('focuses the search with "/" but not while typing elsewhere', async () => {
    const user = userEvent.setup();
    visit('/app/dashboard');
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' });
    const search = screen.getByRole('combobox', { name: 'Search movies, shows and games' });

    await user.keyboard('/');
    expect(search).toHaveFocus();
    await user.keyboard('dune/');
    expect(search).toHaveValue('dune/');

    // Esc first closes the suggestions, then leaves the field.
    await user.keyboard('{Escape}');
    expect(search).toHaveAttribute('aria-expanded', 'false');
    expect(search).toHaveFocus();
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
    fakeApi();
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

describe('session and route guard', () => {
  it('sends a signed-out visitor to the login page with next=, then back after signing in', async () => {
    const user = userEvent.setup();
    const fetch = fakeApi({
      'POST /api/v1/auth/refresh': () => jsonResponse(401, { error: { code: 'unauthorized', message: 'No session' } }),
      'POST /api/v1/auth/login': async (request) => {
        const body = (await request.json()) as { email: string; password: string };
        return body.password === 'correct horse battery'
          ? jsonResponse(200, sessionBody('fresh'))
          : jsonResponse(401, { error: { code: 'invalid_credentials', message: 'Wrong e-mail or password' } });
      },
    });
    visit('/app/movies?genre=drama');
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome back' })).toBeInTheDocument();
    await waitFor(() => expect(window.location.pathname).toBe('/app/login'));
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/app/movies?genre=drama');

    await user.type(screen.getByLabelText('E-mail'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'nope');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent("That e-mail and password don't match an account.");

    await user.clear(screen.getByLabelText('Password'));
    await user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Movies' })).toBeInTheDocument();
    expect(window.location.pathname + window.location.search).toBe('/app/movies?genre=drama');
    // Later calls carry the token the login handed out.
    await waitFor(() => {
      const authed = fetch.mock.calls.map(([input]) => input as Request).filter((r) => r.url.includes('/api/v1/movies'));
      expect(authed.at(-1)?.headers.get('Authorization')).toBe('Bearer fresh');
    });
  });

  it('restores the session on reload (refresh, then /auth/me) without showing the login page', async () => {
    const fetch = fakeApi();
    visit('/app/watched');
    expect(await screen.findByRole('heading', { level: 1, name: 'Watched' })).toBeInTheDocument();
    const paths = fetch.mock.calls.map(([input]) => new URL((input as Request).url).pathname);
    expect(paths.indexOf('/api/v1/auth/refresh')).toBeLessThan(paths.indexOf('/api/v1/auth/me'));
    expect(screen.getByRole('button', { name: 'Account: Ada' })).toBeInTheDocument();
  });

  it('counts down a rate-limited login before allowing another try', async () => {
    const user = userEvent.setup();
    fakeApi({
      'POST /api/v1/auth/refresh': () => jsonResponse(401, { error: { code: 'unauthorized', message: 'No session' } }),
      'POST /api/v1/auth/login': () =>
        new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Too many requests; try again later' } }), {
          status: 429,
          headers: { 'Content-Type': 'application/json', 'Retry-After': '30' },
        }),
    });
    visit('/app/login');
    await user.type(await screen.findByLabelText('E-mail'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'whatever-password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Too many attempts. Try again in 30 seconds.');
    expect(screen.getByRole('button', { name: /Try again in 30 seconds/ })).toBeDisabled();
  });

  it('shows email_taken and weak_password next to their fields on the register page', async () => {
    const user = userEvent.setup();
    let answer = 0;
    fakeApi({
      'POST /api/v1/auth/refresh': () => jsonResponse(401, { error: { code: 'unauthorized', message: 'No session' } }),
      'POST /api/v1/auth/register': () =>
        answer++ === 0
          ? jsonResponse(422, { error: { code: 'weak_password', message: 'The password must be at least 10 characters', fields: { password: 'must be at least 10 characters' } } })
          : jsonResponse(409, { error: { code: 'email_taken', message: 'That e-mail is taken' } }),
    });
    visit('/app/register');
    await user.type(await screen.findByLabelText('E-mail'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'short');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('The password must be at least 10 characters.')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).toHaveAttribute('aria-invalid', 'true');

    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('An account with this e-mail already exists.')).toBeInTheDocument();
    expect(screen.getByLabelText('E-mail')).toHaveAttribute('aria-invalid', 'true');
  });

  it('signs out from the profile menu: POST /auth/logout with the CSRF header, then the login page', async () => {
    const user = userEvent.setup();
    const fetch = fakeApi({ 'POST /api/v1/auth/logout': () => new Response(null, { status: 204 }) });
    visit('/app/dashboard');
    await user.click(await screen.findByRole('button', { name: 'Account: Ada' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { level: 1, name: 'Welcome back' })).toBeInTheDocument();
    const logout = fetch.mock.calls.map(([input]) => input as Request).find((r) => r.url.endsWith('/auth/logout'));
    expect(logout?.headers.get('X-CSRF-Token')).toBe('csrf-1');
  });
});
