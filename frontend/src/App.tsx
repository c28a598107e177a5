import { Router } from '@solidjs/router';
import { Suspense } from 'solid-js';
import { Toaster } from './components/ui/Toaster';
import { routes } from './routes';

export default function App() {
  return (
    <>
      <Router root={(props) => <Suspense>{props.children}</Suspense>}>{routes}</Router>
      <Toaster />
    </>
  );
}
