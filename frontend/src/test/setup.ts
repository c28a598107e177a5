import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@solidjs/testing-library';
import { afterEach } from 'vitest';
import { queryClient } from '../api/queryClient';

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
