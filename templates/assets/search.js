/* Monarch search (the search page only). Without this script the page lists every page by
   section. With it, a box finds pages in the language's index (search/<key>.json, written by
   the build), fetched from this site the first time the reader uses the box. Nothing is sent
   anywhere and nothing is stored: the query stays in this page.

   Matching is done on the same units as the build wrote them (Unicode NFC text, one block per
   line), case-insensitively:
   - Han, Hangul, Thai, Lao, Khmer, Myanmar, kana: anywhere in the text (no spaces between
     words; Korean particles are glued to the word, so 생명 finds 생명과).
   - Other scripts: at the start of a word (stop finds stopped; ice does not find police).
   A match never ends inside a grapheme cluster: the vowel and tone marks that follow a letter
   belong to it, so สทธ and สิทธ do not find สิทธิ. Every word of the query must be found. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || !window.fetch || !String.prototype.normalize) return;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var nojs = document.getElementById("search-nojs");
  var SPACELESS = /[\p{sc=Han}\p{sc=Hangul}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\p{sc=Hiragana}\p{sc=Katakana}]/u;
  var WORD = /[\p{L}\p{N}\p{M}]/u;
  /* Marks, and the Thai and Lao SARA AM, which are letters that join the cluster before them. */
  var JOINS = /[\p{M}\u0E33\u0EB3\uDC00-\uDFFF]/u;
  var indexUrl = new URL(box.getAttribute("data-index"), window.location.href);
  var pages = null, loading = null, timer = 0;

  box.hidden = false;
  if (nojs) nojs.hidden = true;

  function load() {
    if (!loading) {
      loading = fetch(indexUrl.href, { credentials: "omit", referrerPolicy: "no-referrer" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        })
        .then(function (data) { pages = data.pages; });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  function terms(query) {
    return query.normalize("NFC").split(/[\s\p{P}\p{S}]+/u).filter(Boolean).map(function (term) {
      return {
        re: new RegExp(term.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&"), "giu"),
        wordStart: !SPACELESS.test(term.charAt(0))
      };
    });
  }

  /* Where `term` is found in `text`: up to `max` [start, end] pairs. */
  function find(text, term, max) {
    var found = [], match;
    term.re.lastIndex = 0;
    while (found.length < max && (match = term.re.exec(text))) {
      var start = match.index, end = start + match[0].length, before = text.charAt(start - 1);
      if (!JOINS.test(text.charAt(end)) &&
          !(term.wordStart && before && WORD.test(before) && !SPACELESS.test(before))) {
        found.push([start, end]);
      }
      term.re.lastIndex = start + 1;
    }
    return found;
  }

  function search(query) {
    var words = terms(query), results = [];
    if (!words.length) return null;
    pages.forEach(function (page, order) {
      var score = 0;
      for (var i = 0; i < words.length; i++) {
        var title = find(page[1], words[i], 1).length, about = find(page[2], words[i], 1).length,
            text = find(page[3], words[i], 5).length;
        if (!title && !about && !text) return;
        score += title * 10 + about * 3 + text;
      }
      results.push({ page: page, score: score, order: order });
    });
    results.sort(function (a, b) { return b.score - a.score || a.order - b.order; });
    return { words: words, results: results };
  }

  /* The first word boundary at or after `from` (or the last one at or before `to`), so that
     a snippet does not start or end in the middle of a word; Thai needs the browser's
     dictionary for that (Intl.Segmenter). Without it, `from` or `to` as they are. */
  function boundary(text, from, to, forward) {
    if (!window.Intl || !Intl.Segmenter) return forward ? from : to;
    var base = Math.max(0, from - 20), best = forward ? from : to;
    var segments = new Intl.Segmenter(document.documentElement.lang, { granularity: "word" })
      .segment(text.slice(base, Math.min(text.length, to + 20)));
    for (var s of segments) {
      var at = base + s.index;
      if (at < from || at > to) continue;
      if (forward) return at;
      best = at;
    }
    return best;
  }

  /* A piece of `text` around the first match, with every match marked; built from text
     nodes, so the page's text can never become markup. */
  function snippet(text, words) {
    var first = null;
    words.forEach(function (word) {
      var hit = find(text, word, 1)[0];
      if (hit && (!first || hit[0] < first[0])) first = hit;
    });
    if (!first) first = [0, 0];
    var start = Math.max(0, first[0] - 40), stop = Math.min(text.length, first[1] + 100);
    var lineStart = text.lastIndexOf("\n", first[0] - 1) + 1, lineEnd = text.indexOf("\n", first[1]);
    if (lineStart > start) start = lineStart;
    if (lineEnd >= 0 && lineEnd < stop) stop = lineEnd;
    if (start > lineStart) start = boundary(text, start, first[0], true);
    if (stop < text.length && stop !== lineEnd) stop = boundary(text, first[1], stop, false);
    while (start > 0 && JOINS.test(text.charAt(start))) start--;
    while (start < first[0] && /\s/.test(text.charAt(start))) start++;
    while (stop < text.length && JOINS.test(text.charAt(stop))) stop++;
    var piece = text.slice(start, stop).replace(/\n/g, " "), marks = [];
    words.forEach(function (word) { marks = marks.concat(find(piece, word, 20)); });
    marks.sort(function (a, b) { return a[0] - b[0]; });
    var p = document.createElement("p"), at = 0;
    if (start > 0 && start !== lineStart) p.appendChild(document.createTextNode("\u2026"));
    marks.forEach(function (mark) {
      if (mark[0] < at) return;
      p.appendChild(document.createTextNode(piece.slice(at, mark[0])));
      var m = document.createElement("mark");
      m.textContent = piece.slice(mark[0], mark[1]);
      p.appendChild(m);
      at = mark[1];
    });
    p.appendChild(document.createTextNode(piece.slice(at) + (stop < text.length && stop !== lineEnd ? "\u2026" : "")));
    return p;
  }

  function show(query) {
    var found = search(query);
    list.textContent = "";
    if (!found) { status.textContent = ""; return; }
    found.results.slice(0, 50).forEach(function (result) {
      var page = result.page, item = document.createElement("li"), a = document.createElement("a");
      a.href = new URL(page[0], indexUrl).href;
      a.textContent = page[1];
      item.appendChild(a);
      var inText = found.words.some(function (word) { return find(page[3], word, 1).length; });
      item.appendChild(snippet(inText || !page[2] ? page[3] : page[2], found.words));
      list.appendChild(item);
    });
    status.textContent = found.results.length
      ? box.getAttribute("data-count").replace("{n}", String(found.results.length))
      : box.getAttribute("data-none");
  }

  function run() {
    var query = input.value;
    load().then(function () { if (input.value === query) show(query); },
                function () { status.textContent = box.getAttribute("data-error"); });
  }

  input.addEventListener("focus", function () { load().catch(function () {}); });
  input.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(run, 200);
  });
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    clearTimeout(timer);
    run();
  });
}());
