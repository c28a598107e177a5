/* /seen/ service worker: the app shell offline, nothing else.
 *
 * Built by pwa/swPlugin.ts, which replaces the two placeholders below with the
 * build's version and its precache list (index.html, the hashed JS/CSS, the
 * icons and the manifest). Served at /sw.js with `Cache-Control: no-cache`, so
 * a new build is noticed on the next visit; its scope is the whole origin.
 *
 * What it touches, and only that (an allowlist, not a blocklist):
 * - navigations under /app/: the network first, the cached shell when offline;
 * - the precached files: from the cache (they are content-hashed or tiny).
 * Everything else — /api/, /stream/, presigned bucket URLs, anything with a
 * Range header, other origins, non-GET — never reaches respondWith: the browser
 * fetches it as if there were no service worker, and nothing is stored.
 */
const VERSION = '__SEEN_SW_VERSION__';
const PRECACHE = '__SEEN_SW_PRECACHE__'; // replaced by a JSON array of paths
const CACHE_PREFIX = 'seen-shell-';
const CACHE = CACHE_PREFIX + VERSION;
const SHELL = '/index.html';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      // `cache: 'reload'` skips the HTTP cache: the precache must be this build's files.
      .then((cache) => cache.addAll(PRECACHE.map((path) => new Request(path, { cache: 'reload' }))))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((key) => key.startsWith(CACHE_PREFIX) && key !== CACHE).map((key) => caches.delete(key))))
      .then(() => self.clients.claim()),
  );
});

/** What this worker answers: 'shell' (an app navigation), 'precached', or null (left to the network). */
function routeOf(request) {
  if (request.method !== 'GET' || request.headers.has('range')) return null;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return null;
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/stream/')) return null;
  if (request.mode === 'navigate') return url.pathname === '/app' || url.pathname.startsWith('/app/') ? 'shell' : null;
  return PRECACHE.includes(url.pathname) ? 'precached' : null;
}

async function shell(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match(SHELL, { cacheName: CACHE });
    if (cached) return cached;
    throw error;
  }
}

async function precached(request) {
  const cached = await caches.match(new URL(request.url).pathname, { cacheName: CACHE });
  return cached || fetch(request);
}

self.addEventListener('fetch', (event) => {
  const route = routeOf(event.request);
  if (route === 'shell') event.respondWith(shell(event.request));
  else if (route === 'precached') event.respondWith(precached(event.request));
});
