// On the login page (after logging out, or when a session ended): the phone forgets the field
// pages it kept for use without network, so the next person to pick up the phone does not find
// them. Findings not yet sent stay on the phone (IndexedDB) and go out from the field page after
// the next login.
(function () {
  "use strict";
  var PREFIX = "trygg-field-";
  if ("caches" in window) {
    caches.keys().then(function (names) {
      return Promise.all(names.filter(function (name) {
        return name.indexOf(PREFIX) === 0;
      }).map(function (name) { return caches.delete(name); }));
    });
  }
  if ("serviceWorker" in navigator && navigator.serviceWorker.getRegistrations) {
    navigator.serviceWorker.getRegistrations().then(function (registrations) {
      registrations.forEach(function (registration) {
        if (/\/falt\/$/.test(new URL(registration.scope).pathname)) registration.unregister();
      });
    });
  }
}());
