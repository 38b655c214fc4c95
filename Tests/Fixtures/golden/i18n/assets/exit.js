/* Monarch quick exit (every page). The exit is a plain link and works without this script;
   the script adds: the page blanks at once, the page is replaced in the tab's history
   (location.replace) so Back does not return to it, and Shift pressed 3 times within
   5 seconds exits too. It stores nothing and loads nothing. It also shows full link
   addresses when the page is printed. */
(function () {
  "use strict";
  var link = document.getElementById("exit");
  var root = document.documentElement;
  var title = document.title;
  var presses = [];

  function leave(event) {
    if (event) event.preventDefault();
    root.className += " exiting";
    document.title = "\u200b";
    window.location.replace(link.href);
  }

  if (link) {
    link.addEventListener("click", leave);
    document.addEventListener("keydown", function (event) {
      /* Only Shift pressed on its own counts: typing capitals or punctuation in the search
         box (Shift with another key) starts the count again. */
      if (event.key !== "Shift") { presses = []; return; }
      if (event.repeat) return;
      var now = Date.now();
      presses = presses.filter(function (time) { return now - time < 5000; });
      presses.push(now);
      if (presses.length >= 3) {
        presses = [];
        leave();
      }
    });
    /* Back after an exit without location.replace (or from another page) can bring a
       blanked page out of the back-forward cache: show it again. */
    window.addEventListener("pageshow", function (event) {
      if (event.persisted) {
        root.className = root.className.replace(/ ?exiting/g, "");
        document.title = title;
      }
    });
  }

  /* Print: relative links get their full address; tel: and sms: links whose text is the
     number itself get none (the stylesheet prints the other addresses). */
  function digits(text) { return text.replace(/[^0-9]/g, ""); }
  window.addEventListener("beforeprint", function () {
    var links = document.querySelectorAll("main a[href]");
    for (var i = 0; i < links.length; i++) {
      var a = links[i], href = a.getAttribute("href");
      if (href.charAt(0) === "#") continue;
      if (/^(tel|sms):/i.test(href)) {
        if (digits(href) && digits(a.textContent).indexOf(digits(href).slice(-7)) >= 0) a.setAttribute("data-href", "");
      } else if (!/^[a-z][a-z0-9+.\-]*:/i.test(href)) {
        a.setAttribute("data-href", a.href);
      }
    }
  });
}());
