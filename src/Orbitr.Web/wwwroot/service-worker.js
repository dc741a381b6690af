// Orbitr's service worker: the app shell, framework and scripts are cached on the first visit (from the asset
// manifest the SDK writes at build and publish, with each file's integrity hash), so later visits load with no
// network. The kit is synthesized in the app, so it needs no download. A new version installs beside the old one
// and waits: the page offers "Reload" (js/pwa.js), and only then does it take over and drop the old cache, so a
// version is never half-applied. API calls always go to the network; sounds are cached by the app (js/sounds.js).
self.importScripts('./service-worker-assets.js');

const PREFIX = 'orbitr-app-';
const CACHE = `${PREFIX}${self.assetsManifest.version}`;
const INCLUDE = [/\.dll$/, /\.pdb$/, /\.wasm/, /\.html/, /\.js$/, /\.json$/, /\.css$/, /\.woff2?$/, /\.png$/, /\.svg$/, /\.ico$/, /\.dat$/, /\.webmanifest$/];
const EXCLUDE = [/^service-worker\.js$/, /^service-worker-assets\.js$/];
const assets = self.assetsManifest.assets.filter((a) => INCLUDE.some((p) => p.test(a.url)) && !EXCLUDE.some((p) => p.test(a.url)));
const assetUrls = new Set(assets.map((a) => new URL(a.url, self.location).href));

self.addEventListener('install', (event) => event.waitUntil(install()));
self.addEventListener('activate', (event) => event.waitUntil(activate()));
self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return; // network only
  event.respondWith(fromCache(request));
});
self.addEventListener('message', (event) => {
  if (event.data?.type === 'skip-waiting') self.skipWaiting();
});

async function install() {
  // 'default' cache mode: fingerprinted files come from the HTTP cache the first visit just filled (immutable);
  // the others are served no-cache and revalidate. The integrity hash guards against a stale or broken copy.
  const cache = await caches.open(CACHE);
  await cache.addAll(assets.map((a) => new Request(a.url, { integrity: a.hash, cache: 'default' })));
}

async function activate() {
  for (const key of await caches.keys()) {
    if (key.startsWith(PREFIX) && key !== CACHE) await caches.delete(key);
  }
  await self.clients.claim();
}

async function fromCache(request) {
  // Page routes ("/", "/p/…") are the app shell.
  const shell = request.mode === 'navigate' && !assetUrls.has(request.url);
  const cache = await caches.open(CACHE);
  const cached = await cache.match(shell ? 'index.html' : request, { ignoreSearch: shell });
  return cached ?? fetch(request);
}
