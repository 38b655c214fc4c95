/* Monarch: "Save for offline" on the offline page (issue #5). Nothing happens until the
   reader presses a button. "Save" puts this language's pages (the list the build wrote,
   offline/<key>.json) in a cache of this site's own and registers sw.js, which serves them
   when the network fails. "Remove" unregisters it and deletes the cache. Nothing else is
   stored (no cookies, no web storage); the only requests are to this site. Without
   JavaScript, or in a browser that cannot do this (a page opened from a file), the page
   says so. */
(function () {
  'use strict';
  var box = document.getElementById('offline-controls');
  if (!box) return;
  var nojs = document.getElementById('offline-nojs');
  if (nojs) nojs.hidden = true;
  var supported = 'serviceWorker' in navigator && 'caches' in window && window.isSecureContext &&
    location.protocol !== 'file:';
  if (!supported) {
    var unavailable = document.getElementById('offline-unavailable');
    if (unavailable) unavailable.hidden = false;
    return;
  }
  var root = new URL(box.getAttribute('data-root'), location.href).href;
  var cacheName = 'monarch-offline:' + root;
  var status = document.getElementById('offline-status');
  var save = document.getElementById('offline-save');
  var remove = document.getElementById('offline-remove');

  function say(key) { status.textContent = box.getAttribute('data-' + key) || ''; }
  function show(saved, message) {
    save.disabled = false;
    remove.hidden = !saved;
    say(message || (saved ? 'saved' : 'none'));
  }
  function registrations() {
    return navigator.serviceWorker.getRegistrations().then(function (all) {
      return all.filter(function (r) { return r.scope === root; });
    });
  }

  box.hidden = false;
  registrations().then(function (mine) {
    return mine.length ? caches.has(cacheName) : false;
  }).then(function (saved) { show(saved); }, function () { show(false); });

  save.addEventListener('click', function () {
    save.disabled = true;
    say('saving');
    fetch(new URL(box.getAttribute('data-list'), location.href).href, { cache: 'no-store' })
      .then(function (response) {
        if (!response.ok) throw new Error('list ' + response.status);
        return response.json();
      })
      .then(function (list) {
        var urls = list.files.map(function (file) { return new URL(file, root).href; });
        return caches.open(cacheName).then(function (cache) { return cache.addAll(urls); });
      })
      .then(function () {
        return navigator.serviceWorker.register(new URL('sw.js', root).href, { scope: root });
      })
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () { show(true); }, function () {
        return caches.delete(cacheName).then(function () { show(false, 'failed'); }, function () { show(false, 'failed'); });
      });
  });

  remove.addEventListener('click', function () {
    remove.disabled = true;
    registrations()
      .then(function (mine) { return Promise.all(mine.map(function (r) { return r.unregister(); })); })
      .then(function () { return caches.keys(); })
      .then(function (keys) {
        return Promise.all(keys.filter(function (k) { return k === cacheName; }).map(function (k) { return caches.delete(k); }));
      })
      .then(function () { remove.disabled = false; show(false, 'removed'); },
            function () { remove.disabled = false; show(true, 'failed'); });
  });
})();
