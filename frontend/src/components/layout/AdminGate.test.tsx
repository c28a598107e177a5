import { render, screen, waitFor, within } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearSessionCookie, fakeApi, jsonResponse, sessionBody, testUser } from '../../test/fakes';
import { adminAccess } from './AdminGate';

const admin = { ...testUser, role: 'admin' as const };
const SLOW = { timeout: 15_000 };

function visit(path: string, user: typeof testUser | typeof admin | null) {
  fakeApi(
    user
      ? { 'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user }), 'GET /api/v1/auth/me': () => jsonResponse(200, user) }
      : { 'POST /api/v1/auth/refresh': () => jsonResponse(401, { error: { code: 'unauthorized', message: 'No session' } }) },
  );
  window.history.replaceState(null, '', path);
  render(() => <App />);
}

// The page chunks compile on first import; do it outside the timed cases.
beforeAll(() => Promise.all([import('../../pages/Admin'), import('../../pages/Dashboard'), import('../../pages/auth/Login')]), 120_000);
beforeEach(() => resetSessionForTests());
afterEach(() => clearSessionCookie());

describe('adminAccess', () => {
  it('waits, sends to login, denies or allows by session state and role', () => {
    expect(adminAccess('unknown', undefined)).toBe('wait');
    expect(adminAccess('authenticated', undefined)).toBe('wait');
    expect(adminAccess('anonymous', undefined)).toBe('login');
    expect(adminAccess('authenticated', { role: 'user' })).toBe('denied');
    expect(adminAccess('authenticated', { role: 'admin' })).toBe('allowed');
  });
});

describe('the admin route', { timeout: 20_000 }, () => {
  it('shows a signed-in non-admin an "admins only" page at /app/admin, not the login page', async () => {
    visit('/app/admin', testUser);
    expect(await screen.findByRole('heading', { level: 1, name: 'Admins only' }, SLOW)).toBeInTheDocument();
    expect(screen.getByText(/signed in as ada@example\.com/)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Back to your dashboard' })).toHaveAttribute('href', '/app/dashboard');
    expect(screen.queryByRole('tab')).not.toBeInTheDocument();
    expect(window.location.pathname).toBe('/app/admin');
  });

  it('shows a non-admin no Admin link and no Services panel', async () => {
    visit('/app/dashboard', testUser);
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' }, SLOW);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).getByRole('link', { name: 'Settings' })).toBeInTheDocument();
    expect(within(nav).queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();
    expect(screen.queryByRole('region', { name: 'Services' })).not.toBeInTheDocument();
  });

  it('shows an admin the Admin link and the Services panel', async () => {
    const user = userEvent.setup();
    visit('/app/dashboard', admin);
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' }, SLOW);
    expect(screen.getByRole('region', { name: 'Services' })).toBeInTheDocument();
    await user.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Admin' }));
    expect(await screen.findByRole('tab', { name: 'Users' }, SLOW)).toBeInTheDocument();
    expect(window.location.pathname).toBe('/app/admin');
  });

  it('still sends a signed-out visitor to the login page, coming back to /app/admin after', async () => {
    visit('/app/admin', null);
    await waitFor(() => expect(window.location.pathname).toBe('/app/login'), SLOW);
    expect(new URLSearchParams(window.location.search).get('next')).toBe('/app/admin');
    expect(screen.queryByRole('heading', { name: 'Admins only' })).not.toBeInTheDocument();
  });

  it('opens the admin sections for an admin', async () => {
    visit('/app/admin', admin);
    expect(await screen.findByRole('tab', { name: 'Users' }, SLOW)).toHaveAttribute('aria-selected', 'true');
    expect(screen.queryByRole('heading', { name: 'Admins only' })).not.toBeInTheDocument();
  });
});
