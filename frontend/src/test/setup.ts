import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@solidjs/testing-library';
import { afterEach, vi } from 'vitest';
import { queryClient } from '../api/queryClient';
import { forgetReportedErrors } from '../components/ui/ErrorBoundary';
import { resetHealthForTests } from '../stores/health';
import { resetMemberships } from '../stores/membership';
import { resetNotifications } from '../stores/notifications';
import { playback } from '../stores/playback';
import { resetSessionForTests } from '../stores/session';
import { setSidebarCollapsed } from '../stores/sidebar';
import { resetThemeForTests } from '../stores/theme';
import { clearToasts } from '../stores/toasts';

// Pages are lazy chunks; on a loaded CI machine the first import can take
// longer than testing-library's 1 s default for findBy* queries.
configure({ asyncUtilTimeout: 5000 });

// jsdom has no layout engine; Ark UI measures elements through ResizeObserver.
class NoopResizeObserver {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= NoopResizeObserver;
// The router scrolls to the top on navigation; jsdom only logs "not implemented".
window.scrollTo = () => {};

// Pages rendered through <App /> share the app's QueryClient: no retries in tests (a fake 500 is an
// error at once, call counts stay exact), and nothing cached carries over to the next test.
queryClient.setDefaultOptions({
  ...queryClient.getDefaultOptions(),
  queries: { ...queryClient.getDefaultOptions().queries, retry: false },
});

afterEach(() => {
  cleanup();
  queryClient.clear();
  localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
});

// A worker's files share one jsdom and one module registry (`isolate: false` in vitest.config.ts: a fresh
// jsdom and fresh imports per file were half of the frontend suite's time). This file runs before each test
// file: every app-wide store, the URL and the clock start as on a page just opened.
vi.useRealTimers();
cleanup();
queryClient.clear();
resetSessionForTests(); // and the profiles, and the API token
resetThemeForTests();
resetHealthForTests();
resetNotifications();
resetMemberships();
clearToasts();
forgetReportedErrors();
setSidebarCollapsed(false);
localStorage.clear();
sessionStorage.clear();
playback.reload();
document.documentElement.removeAttribute('data-theme');
document.documentElement.removeAttribute('style');
document.title = '';
window.history.replaceState(null, '', '/');
