import { Navigate, type RouteDefinition, type RouteSectionProps } from '@solidjs/router';
import { lazy, type Component, type JSX } from 'solid-js';
import AppShell from './components/layout/AppShell';
import { AdminGate } from './components/layout/AdminGate';
import { AuthGate } from './components/layout/AuthGate';
import { AdultOnly } from './components/profiles/KidGate';
import { PartBoundary } from './components/ui/ErrorBoundary';
import { APP_HOME, LOGIN_PATH, PROFILES_PATH, REGISTER_PATH } from './navigation';

/**
 * A page chunk, loaded when first visited, inside its own error boundary: a page that throws while
 * rendering says "This page couldn't load." with Retry (and logs why) inside the shell, which keeps working.
 * `preload` stays reachable, so the router and the tests can warm the chunk.
 */
function page(load: () => Promise<{ default: Component<RouteSectionProps> }>, wrap?: Component<{ children: JSX.Element }>) {
  const Lazy = lazy(load);
  const Wrap = wrap ?? ((props: { children: JSX.Element }) => props.children);
  return Object.assign(
    (props: RouteSectionProps) => (
      <PartBoundary page name={`page ${props.location.pathname}`} resetOn={() => props.location.pathname}>
        <Wrap>
          <Lazy {...props} />
        </Wrap>
      </PartBoundary>
    ),
    { preload: Lazy.preload },
  );
}

/**
 * Every page is its own chunk, loaded when first visited. Paths are relative
 * to /app; the sidebar links (navigation.ts) must each match one of them.
 */
export const appPages: RouteDefinition[] = [
  { path: '/dashboard', component: page(() => import('./pages/Dashboard')) },
  { path: '/discover', component: page(() => import('./pages/Discover')) },
  { path: '/search', component: page(() => import('./pages/Search')) },
  { path: '/movies', component: page(() => import('./pages/Movies')) },
  { path: '/movies/:id', component: page(() => import('./pages/detail/MovieDetail')) },
  { path: '/shows', component: page(() => import('./pages/Shows')) },
  { path: '/shows/:id', component: page(() => import('./pages/detail/ShowDetail')) },
  { path: '/shows/:id/season/:season/episode/:episode', component: page(() => import('./pages/detail/EpisodeDetail')) },
  { path: '/games', component: page(() => import('./pages/Games')) },
  { path: '/games/:id', component: page(() => import('./pages/detail/GameDetail')) },
  { path: '/watch-later', component: page(() => import('./pages/WatchLater')) },
  { path: '/watched', component: page(() => import('./pages/Watched')) },
  { path: '/collections', component: page(() => import('./pages/Collections')) },
  { path: '/collections/:id', component: page(() => import('./pages/CollectionDetail')) },
  { path: '/recommendations', component: page(() => import('./pages/Recommendations')) },
  { path: '/calendar', component: page(() => import('./pages/Calendar')) },
  { path: '/following', component: page(() => import('./pages/Following')) },
  { path: '/people/:id', component: page(() => import('./pages/Person')) },
  { path: '/videos/:id', component: page(() => import('./pages/Video')) },
  { path: '/library', component: page(() => import('./pages/Library')) },
  { path: '/watch/:libraryItemId', component: page(() => import('./pages/Watch')) },
  { path: '/watch/download/:id', component: page(() => import('./pages/WatchDownload')) },
  { path: '/play/:serverId/:itemId', component: page(() => import('./pages/ServerPlay')) },
  // A kid profile gets "not available on a kid profile" at these (AdultOnly).
  { path: '/downloads', component: page(() => import('./pages/Downloads'), AdultOnly) },
  { path: '/wanted', component: page(() => import('./pages/Wanted'), AdultOnly) },
  { path: '/settings', component: page(() => import('./pages/Settings'), AdultOnly) },
  // YouTube videos carry no content rating, and a video's Get downloads it.
  { path: '/channels', component: page(() => import('./pages/Channels'), AdultOnly) },
  { path: '/channels/:id', component: page(() => import('./pages/ChannelDetail'), AdultOnly) },
  // Non-admins get an "admins only" page here; the admin chunk is loaded for adult admins only.
  { path: '/admin', component: page(() => import('./pages/Admin'), AdultAdmin) },
];

const ToHome = () => <Navigate href={APP_HOME} />;

function AdultAdmin(props: { children: JSX.Element }) {
  return (
    <AdultOnly>
      <AdminGate>{props.children}</AdminGate>
    </AdultOnly>
  );
}

const ProfilesPicker = page(() => import('./pages/Profiles'));

/** "Who's watching?": signed-in, full screen, outside the shell. */
function SignedInPicker(props: RouteSectionProps) {
  return (
    <AuthGate>
      <ProfilesPicker {...props} />
    </AuthGate>
  );
}

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
  { path: LOGIN_PATH, component: page(() => import('./pages/auth/Login')) },
  { path: REGISTER_PATH, component: page(() => import('./pages/auth/Register')) },
  { path: '/login', component: to(LOGIN_PATH) },
  { path: '/register', component: to(REGISTER_PATH) },
  { path: PROFILES_PATH, component: SignedInPicker },
  { path: '/app', component: SignedInShell, children: [...appPages, { path: '*rest', component: ToHome }] },
  // `/`, and anything else, lands on the dashboard (or the login page when signed out).
  { path: '*rest', component: ToHome },
];
