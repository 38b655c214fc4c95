/* search.js's matching before the sharded index (issue #20), kept to compare results: the
   search over every page's [url, title, description, text] at once. Used by test_search.py. */
function searchBeforeShards(pages, query) {
  var SPACELESS = /[\p{sc=Han}\p{sc=Hangul}\p{sc=Thai}\p{sc=Lao}\p{sc=Khmer}\p{sc=Myanmar}\p{sc=Hiragana}\p{sc=Katakana}]/u;
  var WORD = /[\p{L}\p{N}\p{M}]/u;
  /* Marks, and the Thai and Lao SARA AM, which are letters that join the cluster before them. */
  var JOINS = /[\p{M}\u0E33\u0EB3\uDC00-\uDFFF]/u;
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

  return search(query);
}
