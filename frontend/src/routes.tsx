import { Navigate, type RouteDefinition, type RouteSectionProps } from '@solidjs/router';
import { lazy } from 'solid-js';
import AppShell from './components/layout/AppShell';
import { AdminGate } from './components/layout/AdminGate';
import { AuthGate } from './components/layout/AuthGate';
import { APP_HOME, LOGIN_PATH, REGISTER_PATH } from './navigation';

const Admin = lazy(() => import('./pages/Admin'));

/** Non-admins get an "admins only" page here; the admin chunk is loaded for admins only. */
const AdminPage = Object.assign(
  () => (
    <AdminGate>
      <Admin />
    </AdminGate>
  ),
  { preload: Admin.preload }, // like a lazy page: the router and the tests can warm the chunk
);

/**
 * Every page is its own chunk, loaded when first visited. Paths are relative
 * to /app; the sidebar links (navigation.ts) must each match one of them.
 */
export const appPages: RouteDefinition[] = [
  { path: '/dashboard', component: lazy(() => import('./pages/Dashboard')) },
  { path: '/discover', component: lazy(() => import('./pages/Discover')) },
  { path: '/search', component: lazy(() => import('./pages/Search')) },
  { path: '/movies', component: lazy(() => import('./pages/Movies')) },
  { path: '/movies/:id', component: lazy(() => import('./pages/detail/MovieDetail')) },
  { path: '/shows', component: lazy(() => import('./pages/Shows')) },
  { path: '/shows/:id', component: lazy(() => import('./pages/detail/ShowDetail')) },
  { path: '/shows/:id/season/:season/episode/:episode', component: lazy(() => import('./pages/detail/EpisodeDetail')) },
  { path: '/games', component: lazy(() => import('./pages/Games')) },
  { path: '/games/:id', component: lazy(() => import('./pages/detail/GameDetail')) },
  { path: '/watch-later', component: lazy(() => import('./pages/WatchLater')) },
  { path: '/watched', component: lazy(() => import('./pages/Watched')) },
  { path: '/collections', component: lazy(() => import('./pages/Collections')) },
  { path: '/collections/:id', component: lazy(() => import('./pages/CollectionDetail')) },
  { path: '/recommendations', component: lazy(() => import('./pages/Recommendations')) },
  { path: '/calendar', component: lazy(() => import('./pages/Calendar')) },
  { path: '/following', component: lazy(() => import('./pages/Following')) },
  { path: '/people/:id', component: lazy(() => import('./pages/Person')) },
  { path: '/library', component: lazy(() => import('./pages/Library')) },
  { path: '/watch/:libraryItemId', component: lazy(() => import('./pages/Watch')) },
  { path: '/watch/download/:id', component: lazy(() => import('./pages/WatchDownload')) },
  { path: '/downloads', component: lazy(() => import('./pages/Downloads')) },
  { path: '/wanted', component: lazy(() => import('./pages/Wanted')) },
  { path: '/settings', component: lazy(() => import('./pages/Settings')) },
  { path: '/admin', component: AdminPage },
];

const ToHome = () => <Navigate href={APP_HOME} />;

/** The app shell, for signed-in users only. */
function SignedInShell(props: RouteSectionProps) {
  return (
    <AuthGate>
      <AppShell {...props} />
    </AuthGate>
  );
}

/** Keeps the query (?next=) when an old-style /login link is followed. */
const to = (path: string) => () => <Navigate href={() => path + window.location.search} />;

export const routes: RouteDefinition[] = [
  // Outside the shell, but under /app: every front door (gateway, nginx, CloudFront) serves
  // index.html for /app/* only, so these survive a reload.
  { path: LOGIN_PATH, component: lazy(() => import('./pages/auth/Login')) },
  { path: REGISTER_PATH, component: lazy(() => import('./pages/auth/Register')) },
  { path: '/login', component: to(LOGIN_PATH) },
  { path: '/register', component: to(REGISTER_PATH) },
  { path: '/app', component: SignedInShell, children: [...appPages, { path: '*rest', component: ToHome }] },
  // `/`, and anything else, lands on the dashboard (or the login page when signed out).
  { path: '*rest', component: ToHome },
];
