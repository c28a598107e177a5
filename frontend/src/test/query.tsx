import { QueryClient, QueryClientProvider } from '@tanstack/solid-query';
import { render } from '@solidjs/testing-library';
import type { JSX } from 'solid-js';
import { queryClient } from '../api/queryClient';

/** A QueryClient of its own for a test: no retries (a fake 500 is an error at once). */
export function testQueryClient() {
  return new QueryClient({
    defaultOptions: { queries: { retry: false, refetchOnWindowFocus: false }, mutations: { retry: false } },
  });
}

/**
 * Renders `ui` under a QueryClientProvider, as App does. By default that is the app's own client,
 * which components also edit directly (`setQueryData`); setup.ts turns its retries off and clears
 * it after every test, so each test starts with an empty cache.
 */
export function renderWithQuery(ui: () => JSX.Element, client: QueryClient = queryClient) {
  const result = render(() => <QueryClientProvider client={client}>{ui()}</QueryClientProvider>);
  return Object.assign(result, { queryClient: client });
}
