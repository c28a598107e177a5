import '@testing-library/jest-dom/vitest';
import { cleanup, configure } from '@solidjs/testing-library';
import { afterEach } from 'vitest';

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

afterEach(() => {
  cleanup();
  localStorage.clear();
  document.documentElement.removeAttribute('data-theme');
});
