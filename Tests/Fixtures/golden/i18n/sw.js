/* Monarch offline copy (issue #5). The build writes this file as sw.js at the site's root;
   it is registered only when the reader presses "Save for offline" on the offline page, and
   assets/offline.js fills its cache. Network first: a page comes from the site whenever the
   network answers (and refreshes the saved copy of that page), from the saved copy only when
   it does not, so a reader online never sees an old page. Requests go to this site only;
   nothing else is stored. */
'use strict';
var CACHE = 'monarch-offline:' + self.registration.scope;

self.addEventListener('install', function () { self.skipWaiting(); });
self.addEventListener('activate', function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener('fetch', function (event) {
  var request = event.request;
  if (request.method !== 'GET' || request.url.indexOf(self.registration.scope) !== 0) return;
  event.respondWith(fetch(request).then(function (response) {
    if (response.ok && response.type === 'basic') {
      var copy = response.clone();
      caches.open(CACHE).then(function (cache) {
        return cache.match(request, { ignoreSearch: true }).then(function (saved) {
          if (saved) return cache.put(request, copy);
        });
      });
    }
    return response;
  }, function (error) {
    return caches.open(CACHE).then(function (cache) {
      return cache.match(request, { ignoreSearch: true }).then(function (saved) {
        if (saved) return saved;
        var url = new URL(request.url);
        if (!/\/$/.test(url.pathname) && !/\.[a-z0-9]+$/i.test(url.pathname)) {
          return cache.match(url.origin + url.pathname + '/').then(function (folder) {
            if (folder) return folder;
            throw error;
          });
        }
        throw error;
      });
    });
  }));
});
