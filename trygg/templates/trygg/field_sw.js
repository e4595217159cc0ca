/* Trygg: a field page's service worker (the safety walk's, the shift report's: core/offline.py).
   It keeps the page, its scripts and styles and its data on the phone, so the page opens and
   works with no network.
   The page and the data: network first, the kept copy when offline. Static files: the kept
   copy first (their cache is named after a hash of them, so a deploy brings a new one).
   What the phone makes is not sent through here: the page keeps it in IndexedDB until it is
   sent (trygg/outbox.js). */
"use strict";

var FIELD = {{ constants|safe }};
var CACHE_PREFIX = FIELD.cachePrefix;
var CACHE = FIELD.cache;
var PAGE = FIELD.page;
var DATA = FIELD.data;
var MANIFEST = FIELD.manifest;
var STATIC = FIELD.staticPrefix;
var PRECACHE = FIELD.precache;

self.addEventListener("install", function (event) {
  event.waitUntil(
    caches.open(CACHE).then(function (cache) {
      // With the session cookie: the page and the data are for the logged-in participant.
      // Static files may come from the HTTP cache (the page has just loaded them: no second
      // download on a poor connection); the page and the data are always asked for anew.
      return cache.addAll(PRECACHE.map(function (url) {
        var fresh = url.indexOf(STATIC) !== 0;
        return new Request(url, { credentials: "same-origin", cache: fresh ? "reload" : "default" });
      }));
    }).then(function () { return self.skipWaiting(); })
  );
});

self.addEventListener("activate", function (event) {
  event.waitUntil(
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(CACHE_PREFIX) === 0 && name !== CACHE;
      }).map(function (name) { return caches.delete(name); }));
    }).then(function () { return self.clients.claim(); })
  );
});

// On a poor connection a request can hang for a minute: after this long the kept copy is
// served, and the network's answer, when it comes, still refreshes the cache.
var NETWORK_PATIENCE_MS = 6000;

// A kept copy says so, so the page knows its data (and the server's clock in it) is old.
function kept(key) {
  return caches.open(CACHE).then(function (cache) { return cache.match(key); }).then(function (copy) {
    if (!copy) return copy;
    var headers = new Headers(copy.headers);
    headers.set("X-Trygg-Kept", "1");
    return new Response(copy.body, { status: copy.status, statusText: copy.statusText, headers: headers });
  });
}

function networkFirst(request, key) {
  var fromNetwork = fetch(request).then(function (response) {
    // A login page after a redirect is not the page: keep the copy we have.
    if (response.ok && !response.redirected) {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) { cache.put(key, copy); });
    }
    return response;
  });
  var fallback = fromNetwork.catch(function () {
    return kept(key).then(function (copy) { return copy || Response.error(); });
  });
  var impatient = new Promise(function (resolve) {
    setTimeout(function () {
      kept(key).then(function (copy) { if (copy) resolve(copy); });
    }, NETWORK_PATIENCE_MS);
  });
  return Promise.race([fallback, impatient]);
}

function cacheFirst(request) {
  return caches.open(CACHE).then(function (cache) {
    return cache.match(request, { ignoreSearch: true }).then(function (kept) {
      return kept || fetch(request).then(function (response) {
        if (response.ok) cache.put(request, response.clone());
        return response;
      });
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET") return;
  var url = new URL(request.url);
  if (url.origin !== self.location.origin) return; // map tiles: only when online, never kept
  if (url.pathname === PAGE) {
    event.respondWith(networkFirst(request, PAGE));
  } else if (url.pathname === DATA || url.pathname === MANIFEST) {
    event.respondWith(networkFirst(request, url.pathname));
  } else if (url.pathname.indexOf(STATIC) === 0) {
    event.respondWith(cacheFirst(request));
  }
});
