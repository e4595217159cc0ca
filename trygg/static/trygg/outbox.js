/* Trygg: what a field page makes on the phone (a walk's findings, a shift's report), kept in
   IndexedDB until the server has it, and sent by itself whenever the network is there: on
   load, when the phone comes back online, and every half minute. Each item has an id made
   here, which the server stores it under, so sending it again never stores it twice. An item
   the server refuses stays on the phone with the server's reasons, to be corrected; it never
   holds up the others. Shared by every field page (core/offline.py); the page itself draws
   its form and its list.

   Trygg.Outbox(options):
     db, store, index, indexKey, scope   where items live: one IndexedDB store, read by the
                                         page's own key (walkId: 12)
     request(item) -> fetch's init       how one item is sent (method, body, headers)
     url(item)                           where to
     refresh() -> Promise                fetch a fresh CSRF token (the page's data, online)
     changed() -> Promise                draw the page again after a round
     status                              the element that says "sending", "try later"
     text                                {sending, sendLater, loginAgain}
   Items are objects {id, <indexKey>, createdAt, state: "waiting"|"refused", errors, ...}. */
(function () {
  "use strict";

  var Trygg = (window.Trygg = window.Trygg || {});
  var RETRY_MS = 30000;
  var SKEW_KEY = "trygg-field-clock-skew";

  /* --- ids made on the device ------------------------------------------------------------ */

  Trygg.newId = function () {
    if (window.crypto && typeof crypto.randomUUID === "function") {
      try { return crypto.randomUUID(); } catch (e) { /* not a secure context */ }
    }
    // RFC 4122 version 4 from random bytes: randomUUID is missing on plain http.
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    var hex = Array.prototype.map.call(bytes, function (b) { return (b + 0x100).toString(16).slice(1); });
    return [hex.slice(0, 4), hex.slice(4, 6), hex.slice(6, 8), hex.slice(8, 10), hex.slice(10)]
      .map(function (part) { return part.join(""); }).join("-");
  };

  /* --- the server's clock and the CSRF token ------------------------------------------- */

  // The phone's clock may be off: remember by how much, from an answer that is fresh (not a
  // copy the service worker kept, which says so in X-Trygg-Kept).
  Trygg.rememberClock = function (serverTime, response) {
    if (response && response.headers.get("X-Trygg-Kept") === "1") return;
    var skew = Date.parse(serverTime) - Date.now();
    try { localStorage.setItem(SKEW_KEY, String(skew)); } catch (e) { /* private mode */ }
  };

  Trygg.now = function () {
    var skew = 0;
    try { skew = Number(localStorage.getItem(SKEW_KEY)) || 0; } catch (e) { /* private mode */ }
    return new Date(Date.now() + skew);
  };

  Trygg.csrf = function (cookieName, fallback) {
    var match = document.cookie.match(new RegExp("(?:^|; )" + cookieName + "=([^;]*)"));
    return match ? decodeURIComponent(match[1]) : fallback;
  };

  /* --- the store ------------------------------------------------------------------------- */

  function Outbox(options) {
    this.options = options;
    this.sending = false;
    this.dbPromise = null;
  }

  Outbox.prototype.open = function () {
    var o = this.options;
    if (!this.dbPromise) {
      this.dbPromise = new Promise(function (resolve, reject) {
        var request = indexedDB.open(o.db, 1);
        request.onupgradeneeded = function () {
          var store = request.result.createObjectStore(o.store, { keyPath: "id" });
          store.createIndex(o.index, o.indexKey);
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return this.dbPromise;
  };

  Outbox.prototype.withStore = function (mode, work) {
    var name = this.options.store;
    return this.open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var transaction = db.transaction(name, mode);
        var result = work(transaction.objectStore(name));
        transaction.oncomplete = function () { resolve(result && result.result); };
        transaction.onerror = function () { reject(transaction.error); };
      });
    });
  };

  /* The page's items, oldest first (the order they are sent in). */
  Outbox.prototype.all = function () {
    var o = this.options;
    return this.withStore("readonly", function (store) {
      return store.index(o.index).getAll(o.scope);
    }).then(function (rows) {
      return (rows || []).sort(function (a, b) { return a.createdAt - b.createdAt; });
    });
  };

  Outbox.prototype.put = function (item) {
    return this.withStore("readwrite", function (store) { return store.put(item); });
  };

  Outbox.prototype.remove = function (id) {
    return this.withStore("readwrite", function (store) { return store.delete(id); });
  };

  /* --- sending ---------------------------------------------------------------------------- */

  /* One item: "sent", "refused" (kept with the server's reasons), or an error that stops
     this round (no network, server trouble, logged out): the item waits for the next. */
  Outbox.prototype.sendOne = function (item, retried) {
    var self = this;
    var o = this.options;
    return fetch(o.url(item), Object.assign({ credentials: "same-origin" }, o.request(item)))
      .then(function (response) {
        if (response.status === 200 || response.status === 201) {
          return self.remove(item.id).then(function () { return "sent"; });
        }
        if (response.status === 401) throw new Error("login");
        if (response.status >= 500) throw new Error("server");
        return response.json().catch(function () { return {}; }).then(function (answer) {
          var detail = answer.detail;
          if (response.status === 403 && !retried && /csrf/i.test(String(detail))) {
            // The page came from the phone's cache with an old token: fetch a fresh one.
            return o.refresh().then(function () { return self.sendOne(item, true); });
          }
          item.state = "refused";
          item.errors = Array.isArray(detail) ? detail : [{ field: "", message: String(detail || response.status) }];
          return self.put(item).then(function () { return "refused"; });
        });
      });
  };

  Outbox.prototype.sendAll = function () {
    var self = this;
    var o = this.options;
    if (this.sending || !navigator.onLine) return o.changed();
    this.sending = true;
    o.status.textContent = o.text.sending;
    return this.all().then(function (rows) {
      var waiting = rows.filter(function (row) { return row.state === "waiting"; });
      return waiting.reduce(function (chain, item) {
        return chain.then(function () { return self.sendOne(item); });
      }, Promise.resolve());
    }).then(function () {
      o.status.textContent = "";
    }, function (error) {
      o.status.textContent = error && error.message === "login" ? o.text.loginAgain : o.text.sendLater;
    }).then(function () {
      self.sending = false;
      return o.changed();
    });
  };

  /* Send whenever the network may be there: now, back online, every half minute. */
  Outbox.prototype.keepSending = function () {
    var self = this;
    window.addEventListener("online", function () { self.sendAll(); });
    window.setInterval(function () { self.sendAll(); }, RETRY_MS);
  };

  Trygg.Outbox = Outbox;

  /* --- what every field page does on start ----------------------------------------------- */

  /* Register the page's service worker (the page still works online without it) and keep
     `node` saying whether the phone is online. */
  Trygg.startFieldPage = function (workerUrl, scope, node, text) {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(workerUrl, { scope: scope }).catch(function () { /* online only */ });
    }
    function show() {
      node.dataset.state = navigator.onLine ? "online" : "offline";
      node.textContent = navigator.onLine ? text.online : text.offline;
    }
    show();
    window.addEventListener("online", show);
    window.addEventListener("offline", show);
  };
})();
