import { render, screen, waitFor, within } from '@solidjs/testing-library';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import App from '../../App';
import { resetSessionForTests } from '../../stores/session';
import { clearSessionCookie, fakeApi, jsonResponse, sessionBody, testUser } from '../../test/fakes';
import { kid, owner, parent, profileList } from '../../test/profiles';
import { adminAccess } from '../layout/AdminGate';

const admin = { ...testUser, role: 'admin' as const };
const SLOW = { timeout: 15_000 };

/** The app at `path`, signed in as an admin account acting as profile `currentId`. */
function visit(path: string, currentId: string) {
  fakeApi({
    'POST /api/v1/auth/refresh': () => jsonResponse(200, { ...sessionBody(), user: admin }),
    'GET /api/v1/auth/me': () => jsonResponse(200, admin),
    'GET /api/v1/me/profiles': () => jsonResponse(200, profileList(currentId)),
  });
  window.history.replaceState(null, '', path);
  render(() => <App />);
}

beforeAll(() => Promise.all([import('../../pages/Downloads'), import('../../pages/Dashboard'), import('../../pages/Admin'), import('../../pages/Settings')]), 120_000);
beforeEach(() => resetSessionForTests());
afterEach(() => clearSessionCookie());

describe('kid mode and profiles', { timeout: 20_000 }, () => {
  it.each(['/app/downloads', '/app/settings', '/app/admin', '/app/wanted'])('a kid profile at %s gets "not available on a kid profile"', async (path) => {
    visit(path, kid.id);
    expect(await screen.findByRole('heading', { level: 1, name: 'Not available on a kid profile' }, SLOW)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Switch profile' })).toHaveAttribute('href', '/app/profiles');
    expect(window.location.pathname).toBe(path);
  });

  it("hides Get's parts, Settings and Admin from a kid's navigation and shows whose profile it is", async () => {
    visit('/app/dashboard', kid.id);
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' }, SLOW);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    await waitFor(() => expect(within(nav).queryByRole('link', { name: 'Downloads' })).not.toBeInTheDocument());
    for (const name of ['Wanted', 'Settings', 'Admin']) expect(within(nav).queryByRole('link', { name })).not.toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Discover' })).toBeInTheDocument();
    expect(screen.getByRole('link', { name: /Watching as Kit \(kid profile\)/ })).toBeInTheDocument();
  });

  it("an admin account's other adult profile gets no Admin: the API opens it to the owner profile only", async () => {
    expect(adminAccess('authenticated', { role: 'admin' }, false)).toBe('denied');
    visit('/app/admin', parent.id);
    expect(await screen.findByRole('heading', { name: "Admin opens on the account's own profile" }, SLOW)).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'Switch profile' })).toHaveAttribute('href', '/app/profiles');
    const nav = screen.getByRole('navigation', { name: 'Main' });
    expect(within(nav).queryByRole('link', { name: 'Admin' })).not.toBeInTheDocument();
    expect(within(nav).getByRole('link', { name: 'Downloads' })).toBeInTheDocument();
  });

  it('leaves an adult profile of an admin everything', async () => {
    visit('/app/dashboard', owner.id);
    await screen.findByRole('heading', { level: 1, name: 'Dashboard' }, SLOW);
    const nav = screen.getByRole('navigation', { name: 'Main' });
    for (const name of ['Downloads', 'Wanted', 'Settings', 'Admin']) expect(within(nav).getByRole('link', { name })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: /Watching as Ada\. Switch profile/ })).toBeInTheDocument();
  });
});
