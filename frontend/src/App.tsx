import { Router } from '@solidjs/router';
import { QueryClientProvider } from '@tanstack/solid-query';
import { Suspense } from 'solid-js';
import { queryClient } from './api/queryClient';
import { Toaster } from './components/ui/Toaster';
import { routes } from './routes';

export default function App() {
  return (
    <QueryClientProvider client={queryClient}>
      <Router root={(props) => <Suspense>{props.children}</Suspense>}>{routes}</Router>
      <Toaster />
    </QueryClientProvider>
  );
}
