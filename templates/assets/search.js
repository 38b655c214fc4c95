/* Monarch search (the search page only). Without this script the page lists every page by
   section. With it, a box finds pages in the language's index, written by the build in small
   files under search/<key>/ (SearchIndex.swift documents them): a manifest, the shards that
   hold the query's words (each word is one key, or a few for a long word in a script without
   spaces), and, for the results shown, each page's file (its title and text, for the
   snippet). They are fetched from this site as they are needed and kept for the next query
   while the page is open. Nothing is sent anywhere and nothing is stored: the query stays in
   this page.

   Matching (the same on the build's side, SearchTerms.swift), on Unicode NFC text, case
   folded:
   - Han, Hangul, Thai, Lao, Khmer, Myanmar, kana: anywhere in the text (no spaces between
     words; Korean particles are glued to the word, so 생명 finds 생명과).
   - Other scripts: at the start of a word (stop finds stopped; ice does not find police).
   A match never ends inside a grapheme cluster: the vowel and tone marks that follow a letter
   belong to it, so สทธ and สิทธ do not find สิทธิ. Every word of the query must be found.
   A word of four clusters or more in a script without spaces is looked up by three of its
   runs of three clusters; a page that holds them but not the word is dropped when its text
   is fetched, before it is shown. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || !window.fetch || !String.prototype.normalize) return;
  var form = document.getElementById("search-form");
  var input = document.getElementById("q");
  var status = document.getElementById("search-status");
  var list = document.getElementById("results");
  var nojs = document.getElementById("search-nojs");
  var more = document.getElementById("search-more");
  var SPACELESS = /[\p{sc=Han}\p{sc=Hangul}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\p{sc=Hiragana}\p{sc=Katakana}]/u;
  var WORD = /[\p{L}\p{N}\p{M}]/u;
  /* Marks, and the Thai and Lao SARA AM, which are letters that join the cluster before them. */
  var JOINS = /[\p{M}\u0E33\u0EB3\uDC00-\uDFFF]/u;
  var SHOWN = 5;
  var indexUrl = new URL(box.getAttribute("data-index"), window.location.href);
  var manifest = null, loading = null, files = {}, timer = 0, current = null;

  box.hidden = false;
  if (nojs) nojs.hidden = true;

  /* One file of the index, fetched once while the page is open. */
  function get(path) {
    if (!files[path]) {
      files[path] = fetch(new URL(path, indexUrl).href, { credentials: "omit", referrerPolicy: "no-referrer" })
        .then(function (response) {
          if (!response.ok) throw new Error(String(response.status));
          return response.json();
        });
      files[path].catch(function () { delete files[path]; });
    }
    return files[path];
  }

  function load() {
    if (!loading) {
      loading = get("index.json").then(function (data) { manifest = data; });
      loading.catch(function () { loading = null; });
    }
    return loading;
  }

  /* The shard a key is in: FNV-1a over its UTF-16 code units, as the build hashed it. */
  function shardOf(key) {
    var h = 0x811c9dc5;
    for (var i = 0; i < key.length; i++) {
      h ^= key.charCodeAt(i);
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return "s/" + (h % manifest.shards) + ".json";
  }

  function first(text) { return String.fromCodePoint(text.codePointAt(0)); }

  /* What a query word needs: the keys to look up, how their postings combine ("any": a page
     holds one of the words that start with it; "all": a page holds every pair of clusters),
     and whether the postings are the answer (exact) or candidates to check on the text. */
  function lookup(term) {
    var points = Array.from(term.toLowerCase());
    if (SPACELESS.test(points[0])) {
      var units = [];
      points.forEach(function (c) {
        if (units.length && JOINS.test(c)) units[units.length - 1] += c; else units.push(c);
      });
      if (units.length === 1) return { keys: ["u" + units[0]], combine: "all", exact: true };
      if (units.length === 2) return { keys: ["b" + units[0] + " " + units[1]], combine: "all", exact: true };
      /* Runs of three: the first, one in the middle and the last (a few shards, not one a run). */
      var keys = [], spots = [0, Math.floor((units.length - 3) / 2), units.length - 3];
      spots.forEach(function (i) {
        var key = "t" + units[i] + " " + units[i + 1] + " " + units[i + 2];
        if (SPACELESS.test(first(units[i])) && keys.indexOf(key) < 0) keys.push(key);
      });
      var spaced = units.every(function (unit, i) { return i === units.length - 1 || SPACELESS.test(first(unit)); });
      return { keys: keys, combine: "all", exact: units.length === 3 && keys.length === 1 && spaced };
    }
    var cut = points.findIndex(function (c) { return SPACELESS.test(c); });
    var word = cut < 0 ? points : points.slice(0, cut);
    if (word.length <= 2) return { keys: ["p" + word.join("")], combine: "all", exact: cut < 0 };
    return { keys: ["w" + word.slice(0, 3).join("")], combine: "any", word: word, exact: cut < 0 };
  }

  /* A posting as page -> [title, description, places in the text]. */
  function decode(posting, into, merge) {
    var page = 0;
    for (var i = 0; i < posting.length; i += 2) {
      page += posting[i];
      var code = posting[i + 1];
      merge(into, page, [code >= 12, code % 12 >= 6, code % 6]);
    }
  }

  function union(into, page, hit) {
    var had = into.get(page);
    into.set(page, had ? [had[0] || hit[0], had[1] || hit[1], Math.min(5, had[2] + hit[2])] : hit);
  }

  /* The pages a word is found in, from its shards. */
  function pagesFor(need, shards) {
    var found = null;
    need.keys.forEach(function (key) {
      var value = shards[shardOf(key)][key], pages = new Map();
      if (need.combine === "any") {
        (value || []).forEach(function (entry) {
          var word = Array.from(entry[0]), after = word[need.word.length];
          if (entry[0].startsWith(need.word.join("")) && !(after && JOINS.test(after))) decode(entry[1], pages, union);
        });
      } else if (value) {
        decode(value, pages, union);
      }
      if (!found) { found = pages; return; }
      var both = new Map();
      found.forEach(function (hit, page) {
        var other = pages.get(page);
        if (!other) return;
        var joined = [hit[0] && other[0], hit[1] && other[1], Math.min(hit[2], other[2])];
        if (joined[0] || joined[1] || joined[2]) both.set(page, joined);
      });
      found = both;
    });
    return found || new Map();
  }

  function terms(query) {
    return query.normalize("NFC").split(/[\s\p{P}\p{S}]+/u).filter(Boolean).map(function (term) {
      return {
        text: term,
        re: new RegExp(term.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&"), "giu"),
        wordStart: !SPACELESS.test(term.charAt(0)),
        need: lookup(term)
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

  /* The shards the query needs, then its results, best first: [{page, score}]. */
  function search(words) {
    var paths = [];
    words.forEach(function (word) {
      word.need.keys.forEach(function (key) {
        var path = shardOf(key);
        if (paths.indexOf(path) < 0) paths.push(path);
      });
    });
    return Promise.all(paths.map(get)).then(function (loaded) {
      var shards = {};
      paths.forEach(function (path, i) { shards[path] = loaded[i]; });
      var scores = null;
      words.forEach(function (word) {
        var pages = pagesFor(word.need, shards), next = new Map();
        pages.forEach(function (hit, page) {
          if (scores && !scores.has(page)) return;
          next.set(page, (scores ? scores.get(page) : 0) + hit[0] * 10 + hit[1] * 3 + hit[2]);
        });
        scores = next;
      });
      var results = [];
      scores.forEach(function (score, page) { results.push({ page: page, score: score }); });
      results.sort(function (a, b) { return b.score - a.score || a.page - b.page; });
      return results;
    });
  }

  /* Whether a page's file holds every word (for a word looked up by its pairs of clusters). */
  function holds(page, words) {
    return words.every(function (word) {
      return find(page[1], word, 1).length || find(page[2], word, 1).length || find(page[3], word, 1).length;
    });
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

  function item(page, words) {
    var li = document.createElement("li"), a = document.createElement("a");
    a.href = new URL(page[0], indexUrl).href;
    a.textContent = page[1];
    li.appendChild(a);
    var inText = words.some(function (word) { return find(page[3], word, 1).length; });
    li.appendChild(snippet(inText || !page[2] ? page[3] : page[2], words));
    return li;
  }

  /* The next results of `found`, with their pages' files; a page that does not hold the
     words after all (a long word in a script without spaces) is dropped and counted out. */
  function showMore(found) {
    var batch = found.results.slice(found.shown, found.shown + SHOWN);
    found.shown += batch.length;
    return Promise.all(batch.map(function (result) { return get("p/" + result.page + ".json"); })).then(function (pages) {
      if (current !== found) return;
      pages.forEach(function (page) {
        if (!found.exact && !holds(page, found.words)) { found.dropped++; return; }
        list.appendChild(item(page, found.words));
      });
      // Candidates dropped: fetch the next few, but not without end (at most 3 more files
      // for each one shown, then the reader asks for more).
      if (found.shown < found.results.length && list.children.length < SHOWN && !found.exact &&
          found.shown < 4 * SHOWN * (found.asked || 1)) return showMore(found);
      var count = found.results.length - found.dropped;
      status.textContent = count ? box.getAttribute("data-count").replace("{n}", String(count)) : box.getAttribute("data-none");
      if (more) more.hidden = found.shown >= found.results.length;
    });
  }

  function run() {
    var query = input.value;
    var words = terms(query);
    if (!words.length) {
      current = null;
      list.textContent = "";
      status.textContent = "";
      if (more) more.hidden = true;
      return;
    }
    load().then(function () { return search(words); }).then(function (results) {
      if (input.value !== query) return;
      var found = { words: words, results: results, shown: 0, dropped: 0,
                    exact: words.every(function (word) { return word.need.exact; }) };
      current = found;
      list.textContent = "";
      return showMore(found);
    }).catch(function () { status.textContent = box.getAttribute("data-error"); });
  }

  if (more) {
    more.addEventListener("click", function () {
      if (current) current.asked = (current.asked || 1) + 1;
      if (current) showMore(current).catch(function () { status.textContent = box.getAttribute("data-error"); });
    });
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
