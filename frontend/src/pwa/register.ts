/**
 * Registers the service worker (dist/sw.js, built by pwa/swPlugin.mjs) for the
 * whole origin. Production builds only: the dev server has no sw.js, and a
 * worker caching the shell would fight Vite's hot reload.
 */
export function registerServiceWorker(container: ServiceWorkerContainer | undefined = navigator.serviceWorker) {
  if (!container) return; // an insecure origin (plain HTTP on a LAN name) or an old browser: the app works without it
  const register = () =>
    container.register('/sw.js', { scope: '/' }).catch((error: unknown) => {
      console.warn('The /seen/ service worker did not register; the app works without it.', error);
    });
  // After the first load: precaching must not compete with the page for bandwidth.
  if (document.readyState === 'complete') void register();
  else window.addEventListener('load', () => void register(), { once: true });
}
