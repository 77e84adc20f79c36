// Service worker: the app keeps working offline after the first visit, and an update never
// breaks that. scripts/sw-build.mjs writes this build's id and file list into BUILD after
// `trunk build`; the new bytes are what makes the browser install a new worker for a new build.
//
// - Trunk's hashed files (wasm, js, css) never change under their name: cache first.
// - Everything else under the scope (the page, boot scripts, the criteria sets a province may
//   correct in place) goes to the network first and falls back to this build's cache offline.
// - The cached page is always this build's index.html, so offline it only ever asks for
//   hashed files that this cache holds.
// - The worker never touches localStorage: updating the app cannot lose the user's data.
"use strict";

const BUILD = null; // filled in by scripts/sw-build.mjs

// Caches are named per scope so that two copies of the app on one site (or other apps of the
// province's site) never delete each other's caches.
const PREFIX = `xa-tre-em|${self.registration.scope}|`;
const CACHE = BUILD && PREFIX + BUILD.id;

function url(file) {
  return new URL(file, self.registration.scope).href;
}

self.addEventListener("install", (event) => {
  // Not post-processed (`trunk serve` during development): no cache, and the worker removes
  // itself on activate so that development builds are never served stale.
  if (!BUILD) return;
  event.waitUntil(
    caches.open(CACHE).then((cache) =>
      // `reload` skips the HTTP cache, so the files are this deployment's, not older copies.
      // If any of them is missing the install fails and the current worker stays in charge.
      cache.addAll(BUILD.files.map((f) => new Request(url(f), { cache: "reload" }))),
    ),
  );
});

self.addEventListener("activate", (event) => {
  if (!BUILD) {
    event.waitUntil(self.registration.unregister());
    return;
  }
  event.waitUntil(
    caches
      .keys()
      .then((keys) =>
        Promise.all(
          keys.filter((k) => k.startsWith(PREFIX) && k !== CACHE).map((k) => caches.delete(k)),
        ),
      )
      .then(() => self.clients.claim()),
  );
});

// The page asks for this when the user presses "Tải lại" on the update prompt, never by itself:
// a tab must not switch versions under the user's hands.
self.addEventListener("message", (event) => {
  if (event.data === "kich-hoat-phien-ban-moi") self.skipWaiting();
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (!BUILD || request.method !== "GET" || !request.url.startsWith(self.registration.scope)) return;
  if (request.mode === "navigate") {
    event.respondWith(networkFirst(request, url("index.html"), false));
    return;
  }
  const rel = new URL(request.url).pathname.slice(new URL(self.registration.scope).pathname.length);
  event.respondWith(
    BUILD.hashed.includes(rel) ? cacheFirst(request) : networkFirst(request, request, true),
  );
});

async function cacheFirst(request) {
  const hit = await caches.open(CACHE).then((cache) => cache.match(request));
  return hit ?? fetch(request);
}

// `refresh` keeps the newest copy for offline use (a criteria set a province corrects in place,
// or publishes later, is cached too). Never for the page itself: its cached copy must stay the
// one whose hashed files this cache holds.
async function networkFirst(request, cacheKey, refresh) {
  const cache = await caches.open(CACHE);
  try {
    const response = await fetch(request);
    if (refresh && response.ok) await cache.put(cacheKey, response.clone());
    return response;
  } catch (offline) {
    const hit = await cache.match(cacheKey);
    if (hit) return hit;
    throw offline;
  }
}
