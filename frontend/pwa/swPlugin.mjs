// A Vite plugin writing dist/sw.js (see sw.js) at build time. Plain JavaScript like scripts/*.mjs:
// it runs in Node, and the SPA's TypeScript setup has no Node types.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

const TEMPLATE = new URL('./sw.js', import.meta.url);

function filesUnder(dir) {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  return entries.flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/** The build's own files worth keeping offline: the shell, its JS and CSS, and the public files (icons, manifest). */
export function precacheList(bundleFiles, publicFiles) {
  const built = bundleFiles.filter((file) => file === 'index.html' || (file.startsWith('assets/') && /\.(js|css)$/.test(file)));
  return [...new Set([...built, ...publicFiles].map((file) => `/${file}`))].sort();
}

/** The service worker source: the template with this build's version and precache list filled in. */
export function renderServiceWorker(template, paths, fingerprint) {
  const version = createHash('sha256').update(template).update(JSON.stringify(paths)).update(fingerprint).digest('hex').slice(0, 12);
  return template.replace("'__SEEN_SW_VERSION__'", JSON.stringify(version)).replace("'__SEEN_SW_PRECACHE__'", JSON.stringify(paths));
}

/**
 * Writes dist/sw.js (served at the site root, so its scope is "/"): the
 * precache list is the bundle Rollup is writing, so every deploy gets a new
 * cache name and the old cache is deleted when the new worker activates.
 */
export function serviceWorker() {
  let publicDir = '';
  return {
    name: 'seen-service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(config) {
      publicDir = config.publicDir;
    },
    generateBundle(_options, bundle) {
      const publicFiles = filesUnder(publicDir).map((file) => relative(publicDir, file).split(sep).join('/'));
      const paths = precacheList(Object.keys(bundle), publicFiles);
      const index = bundle['index.html'];
      const fingerprint = index && index.type === 'asset' ? String(index.source) : '';
      const source = renderServiceWorker(readFileSync(TEMPLATE, 'utf8'), paths, fingerprint);
      this.emitFile({ type: 'asset', fileName: 'sw.js', source });
    },
  };
}
