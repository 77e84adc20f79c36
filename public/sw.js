// Service worker: the app opens at once and works offline after the first visit, every file is
// downloaded once, and an update never breaks that. scripts/sw-build.mjs writes this build's id
// and file list into BUILD after `trunk build`; the new bytes are what makes the browser install
// a new worker for a new build.
//
// - Registered once the app has started (public/sw-register.js), so on a first visit its
//   downloads never compete with the app's own. It then keeps what the page has already
//   downloaded instead of downloading it again (see `obtain`), and fetches in the background
//   what the first screen did not need (the parts of the module, the commune list, criteria
//   sets, icons), what the screens Home links to first.
// - Later visits: the page and every file of the build come from this build's cache at once,
//   without asking the network. A new build is found by the browser's own check of sw.js (at
//   each visit, hourly, and when the tab comes back): installed in the background, it waits
//   until the user accepts «Tải lại» (sw-register.js); it never takes over by itself.
// - The criteria sets a province may correct or add in place (criteria/) go to the network
//   first, fall back to the cache offline, and the newest copy is kept.
// - The worker never touches localStorage or IndexedDB: updating the app cannot lose data.
"use strict";

const BUILD = null; // filled in by scripts/sw-build.mjs

// Caches are named per scope so that two copies of the app on one site (or other apps of the
// province's site) never delete each other's caches.
const PREFIX = `xa-tre-em|${self.registration.scope}|`;
const CACHE = BUILD && PREFIX + BUILD.id;
const SCOPE_PATH = new URL(self.registration.scope).pathname;
/// Published in place by the province, so not part of a build's fixed files.
const PUBLISHED = "criteria/";
/// On a slow link, how long a published file waits for the network before the kept copy is used.
const NETWORK_PATIENCE_MS = 4000;

/// The page is kept under the address it is opened at (the scope itself, not `index.html`), so
/// the copy the browser got when it opened the page is the one revalidated, not a second one.
function url(file) {
  return file === "index.html" ? self.registration.scope : new URL(file, self.registration.scope).href;
}

self.addEventListener("install", (event) => {
  // Not post-processed (`trunk serve` during development): no cache, and the worker removes
  // itself on activate so that development builds are never served stale.
  if (!BUILD) return;
  event.waitUntil(precache());
});

/// Every file of this build into this build's cache, stage after stage: what the screens Home
/// links to need first (scripts/sw-build.mjs sets the order). If one cannot be had the install
/// fails, the current worker stays in charge, and the browser tries again at its next check.
async function precache() {
  const cache = await caches.open(CACHE);
  for (const stage of BUILD.stages) {
    await Promise.all(
      stage.map(async (file) => {
        const key = url(file);
        if (await cache.match(key)) return;
        await cache.put(key, await obtain(file, key));
      }),
    );
  }
}

/// One file of the build, downloaded only if no copy of exactly this file is at hand:
/// - a hashed name (`…-<hash>.wasm`) always holds the same bytes, so the copy an earlier build
///   kept, or the one the page has just downloaded (the HTTP cache, however old), is the file;
/// - any other name may hold new bytes: the server is asked, and answers "not modified" (no
///   body) when the copy the page has just downloaded is current.
async function obtain(file, key) {
  let response;
  if (BUILD.hashed.includes(file)) {
    response = (await caches.match(key)) ?? (await fetch(key, { cache: "force-cache" }));
  } else {
    response = await fetch(key, { cache: "no-cache" });
  }
  if (!response.ok) throw new Error(`sw: ${file} answered ${response.status}`);
  // A page served from a redirected answer is refused by the browser: keep the bytes only.
  if (response.redirected) {
    const { status, statusText, headers } = response;
    return new Response(await response.blob(), { status, statusText, headers });
  }
  return response;
}

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
  const path = new URL(request.url).pathname;
  const rel = path.startsWith(SCOPE_PATH) ? decodeURIComponent(path.slice(SCOPE_PATH.length)) : null;
  if (rel === null) return;
  if (request.mode === "navigate" && (rel === "" || rel === "index.html")) {
    event.respondWith(fromCache(url("index.html"), request));
  } else if (rel.startsWith(PUBLISHED)) {
    event.respondWith(networkFirst(request));
  } else if (BUILD.files.includes(rel)) {
    event.respondWith(fromCache(url(rel), request));
  }
});

/// This build's copy, or the network while the install has not got it yet.
async function fromCache(key, request) {
  const hit = await caches.open(CACHE).then((cache) => cache.match(key));
  return hit ?? fetch(request);
}

/// The network's answer (kept for offline use), or the kept copy when the network fails or is
/// too slow; a late answer still refreshes the copy.
async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then(async (response) => {
    if (response.ok) await cache.put(request, response.clone());
    return response;
  });
  const kept = await cache.match(request);
  if (!kept) return fromNetwork;
  const late = new Promise((resolve) => setTimeout(() => resolve(kept), NETWORK_PATIENCE_MS));
  return Promise.race([fromNetwork.catch(() => kept), late]);
}
