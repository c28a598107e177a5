import { Navigate, type RouteDefinition } from '@solidjs/router';
import { lazy } from 'solid-js';
import AppShell from './components/layout/AppShell';
import { APP_HOME } from './navigation';

/**
 * Every page is its own chunk, loaded when first visited. Paths are relative
 * to /app; the sidebar links (navigation.ts) must each match one of them.
 */
export const appPages: RouteDefinition[] = [
  { path: '/dashboard', component: lazy(() => import('./pages/Dashboard')) },
  { path: '/discover', component: lazy(() => import('./pages/Discover')) },
  { path: '/movies', component: lazy(() => import('./pages/Movies')) },
  { path: '/shows', component: lazy(() => import('./pages/Shows')) },
  { path: '/watch-later', component: lazy(() => import('./pages/WatchLater')) },
  { path: '/watched', component: lazy(() => import('./pages/Watched')) },
  { path: '/collections', component: lazy(() => import('./pages/Collections')) },
  { path: '/recommendations', component: lazy(() => import('./pages/Recommendations')) },
  { path: '/calendar', component: lazy(() => import('./pages/Calendar')) },
  { path: '/library', component: lazy(() => import('./pages/Library')) },
  { path: '/downloads', component: lazy(() => import('./pages/Downloads')) },
  { path: '/settings', component: lazy(() => import('./pages/Settings')) },
  { path: '/admin', component: lazy(() => import('./pages/Admin')) },
];

const ToHome = () => <Navigate href={APP_HOME} />;

export const routes: RouteDefinition[] = [
  { path: '/app', component: AppShell, children: [...appPages, { path: '*rest', component: ToHome }] },
  // `/`, and anything outside /app, lands on the dashboard.
  { path: '*rest', component: ToHome },
];
