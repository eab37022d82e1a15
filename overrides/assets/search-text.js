// The site search (issues 13, 24, 26): the header's search box (partials/site-search.html) and its
// results, over the site's index (search-index/, written after the engine by
// scripts/clinic_site/postbuild/site_search.py, whose docstring gives its files). Nothing is
// downloaded until the box is used: then search-index/index.json (the list of the index's shards),
// and for each word typed the one or two shards that can hold it, then the files of the pages
// drawn (their titles, sections and text). All from this site; no worker, no WebAssembly.
//
// 1. What is typed is normalized by window.clinicNormalize (normalize.js, loaded before this):
//    "Don’t", "DON'T" and "don't" become the same query; every dash becomes "-"; accents go
//    ("cafe" finds "café", "Sjogren" finds "Sjögren"). The box keeps what was typed.
// 2. Any character may be typed (5., below): only letters, digits and marks are searched, so a
//    trailing ":" or "?" never empties the results. The terms looked up are clinicSearchTokens of
//    the query: the same function as the index's (search_terms.tokens), so a word typed and the
//    same word in a page are the same term. Each term also finds the words it begins ("nune" finds
//    "nunez"), below the word itself.
// 3. Pages holding every term come first, best first (the index's BM25 scores, summed); then the
//    pages holding some of them. Among the pages drawn, those whose text holds the exact phrase
//    typed ("post-op", "don't") move to the top, in that order.
// 4. Results are links with their page's title (and up to two of its sections), each address with
//    ?h=<the words searched>; on the page opened, those words are marked in the article, however
//    the page writes them ("Don’t", "café"). Titles, headings and excerpts are set as text, never
//    read as HTML.
// 5. Keys: "/" opens the search from anywhere but a text field (not "s" or "f" as Material did:
//    letter shortcuts are set off by speech input, WCAG 2.1.4); Enter opens the first result;
//    ArrowDown and ArrowUp move between the results; Escape closes the search.
(function () {
  "use strict";
  if (typeof window.clinicNormalize !== "function") return;
  var normalize = window.clinicNormalize;
  var PAGE_SIZE = 10;   // results drawn at a time (each needs its page's fragment)
  var QUIET_MS = 120;   // a pause in typing this long starts a search

  // ---- 2. what is searched: letters, digits and marks, with an apostrophe or hyphen inside a
  // word ("don't", "post-op") and a point between digits ("2.5") kept; everything else a space.
  var OTHER = /[^\p{L}\p{N}\p{M}'.\- ]+/gu;
  var LOOSE_JOINER = /(^|[^\p{L}\p{N}\p{M}])['\-]+|['\-]+(?![\p{L}\p{N}])/gu;
  var LOOSE_POINT = /(^|[^\p{N}])\.+|\.+(?!\p{N})/gu;

  function searchable(text) {
    return text.replace(OTHER, " ").replace(LOOSE_POINT, "$1 ").replace(LOOSE_JOINER, "$1 ")
      .replace(/ +/g, " ").trim();
  }
  window.clinicSearchable = searchable;

  // The index's terms of a text (search_terms.tokens in Python, the same rule): normalized, an
  // apostrophe inside a word dropped ("don't" is "dont"), then every run of letters, digits and
  // marks ("post-op" is "post" and "op").
  var INNER_APOSTROPHE = /(?<=[\p{L}\p{N}\p{M}])'(?=[\p{L}\p{N}\p{M}])/gu;
  var WORD = /[\p{L}\p{N}\p{M}]+/gu;

  var UNKNOWN = null;   // the characters the index's Unicode does not know (made spaces), once read

  function tokensOf(text) {
    var known = UNKNOWN ? String(text === null || text === undefined ? "" : text).replace(UNKNOWN, " ") : text;
    return normalize(known).replace(INNER_APOSTROPHE, "").match(WORD) || [];
  }
  window.clinicSearchTokens = tokensOf;

  // The words marked on the opened page: the query's words, split at hyphens and apostrophes'
  // neighbours as the index splits them ("post-op" marks "post" and "op").
  function termsOf(query) {
    return query.split(/[\s\-]+/).filter(Boolean).join(" ");
  }

  // ---- 4. marking the words of ?h= on a page opened from a result: the first MAX_MARKS words
  // found in the article, in its order (a long page holding a common word thousands of times
  // would take seconds to mark, the page frozen meanwhile; the first are the ones seen).
  var WORD_SPLIT = /([^\s.,:;!?()[\]"/\-\u2010-\u2015\u2212]+)/;
  var MAX_MARKS = 200;

  function markTerms() {
    var terms = (new URL(location.href).searchParams.get("h") || "").split(" ").filter(Boolean);
    var content = document.querySelector("article.md-content__inner");
    if (!terms.length || !content) return;
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest("mark, script, style")) nodes.push(node);
    }
    var left = MAX_MARKS;
    nodes.forEach(function (node) {
      if (left <= 0) return;
      var parts = node.data.split(WORD_SPLIT);
      if (parts.length < 2) return;
      var marked = false;
      var pieces = parts.map(function (part, index) {
        var word = normalize(part);
        var hit = left > 0 && index % 2 === 1 && terms.some(function (term) { return word.indexOf(term) === 0; });
        if (!hit) return document.createTextNode(part);
        marked = true;
        left--;
        var mark = document.createElement("mark");
        mark.textContent = part;
        return mark;
      });
      if (marked) node.replaceWith.apply(node, pieces);
    });
  }
  markTerms();

  // ---- the search box
  var panel = document.querySelector(".md-search[data-clinic-search]");
  var toggle = document.getElementById("__search");
  if (!panel || !toggle) return;
  var box = panel.querySelector("input.md-search__input");
  var meta = panel.querySelector(".md-search-result__meta");
  var list = panel.querySelector(".md-search-result__list");
  var form = panel.querySelector("form");
  var folder = new URL(panel.getAttribute("data-clinic-search"), location.href);
  var siteRoot = folder.pathname.replace(/search-index\/$/, "");
  // The theme's words (partials/languages/en.html, through the panel's data- attributes).
  var words = { placeholder: meta.textContent.trim(), none: panel.getAttribute("data-none"),
                one: panel.getAttribute("data-one"), other: panel.getAttribute("data-other"),
                loading: "Searching…", failed: "Search is not available right now" };

  // ---- the index (search-index/): its list of shards, each shard and each page file fetched
  // once, the first time it is needed, and kept for the page's life.
  var PREFIX_WEIGHT = 0.6;   // a word a term only begins counts this much of the word itself
  var MAX_SHARDS = 6;        // a term that begins more words than this many shards hold finds itself only
  var fetched = {};

  function json(path, fresh) {
    if (!fetched[path]) {
      var how = { credentials: "same-origin", cache: fresh ? "no-cache" : "default" };
      fetched[path] = fetch(new URL(path, folder).href, how).then(function (response) {
        if (!response.ok) throw new Error(path + ": " + response.status);
        return response.json();
      });
      fetched[path].catch(function () { delete fetched[path]; });
    }
    return fetched[path];
  }

  function index(fresh) {
    return json("index.json", fresh).then(useWordTable);
  }

  // What words are made of, from index.json (search_terms.table("word"): Python's Unicode data, which
  // wrote the index's terms), in place of this browser's \p{L}\p{N}\p{M}: a newer Unicode makes
  // letters of characters that were not letters when the index was written.
  var tableOf = null;

  function characterClass(flat) {
    var ranges = [];
    var at = 0;
    for (var i = 0; i + 1 < flat.length; i += 2) {
      var start = at + flat[i];
      at = start + flat[i + 1];
      ranges.push("\\u{" + start.toString(16) + "}-\\u{" + at.toString(16) + "}");
    }
    return "[" + ranges.join("") + "]";
  }

  function useWordTable(manifest) {
    if (manifest && Array.isArray(manifest.word) && Array.isArray(manifest.unassigned) && manifest !== tableOf) {
      var letter = characterClass(manifest.word);
      WORD = new RegExp(letter + "+", "gu");
      INNER_APOSTROPHE = new RegExp("(?<=" + letter + ")'(?=" + letter + ")", "gu");
      UNKNOWN = new RegExp(characterClass(manifest.unassigned), "gu");
      tableOf = manifest;
    }
    return manifest;
  }

  // index.json fetched ahead, when the box is opened; a failure here is the query's to tell.
  function warm() {
    index().catch(function () {});
  }

  // A query that failed is asked once more with index.json fetched again, revalidated: a tab
  // opened before the site was built again holds the old build's list, whose files (named by its
  // key) are gone. A second failure is shown (words.failed).
  function forgetIndex() {
    delete fetched["index.json"];
    return index(true);
  }

  // Shards hold the terms from their first term (the list in index.json, in UTF-16 order, as
  // JavaScript compares strings and the index sorts them) up to the next shard's.
  function shardsFor(manifest, term) {
    var first = manifest.shards;
    var end = term + "\uffff";
    var from = 0;
    while (from + 1 < first.length && first[from + 1] <= term) from++;
    var to = from;
    while (to + 1 < first.length && first[to + 1] < end) to++;
    if (to - from >= MAX_SHARDS) to = from;
    var numbers = [];
    for (var i = from; i <= to; i++) numbers.push(i);
    return numbers;
  }

  // {page number: score} for one term: the term's own pages at their score, the pages of the
  // words it begins at PREFIX_WEIGHT of theirs, each page's best.
  function lookup(manifest, term) {
    return Promise.all(shardsFor(manifest, term).map(function (number) {
      return json("terms/" + manifest.key + "-" + number + ".json");
    })).then(function (shards) {
      var scores = {};
      shards.forEach(function (shard) {
        Object.keys(shard).forEach(function (word) {
          if (word.indexOf(term) !== 0) return;
          var weight = word === term ? 1 : PREFIX_WEIGHT;
          var postings = shard[word];
          var page = 0;
          for (var i = 0; i < postings.length; i += 2) {
            page += postings[i];
            var score = postings[i + 1] * weight;
            if (!(scores[page] >= score)) scores[page] = score;
          }
        });
      });
      return scores;
    });
  }

  // The page numbers found for `terms`, best first: the pages holding every term, then the others.
  function find(terms) {
    return index().then(function (manifest) {
      return Promise.all(terms.map(function (term) { return lookup(manifest, term); }));
    }).then(function (answers) {
      var total = {};
      var held = {};
      answers.forEach(function (scores) {
        Object.keys(scores).forEach(function (page) {
          total[page] = (total[page] || 0) + scores[page];
          held[page] = (held[page] || 0) + 1;
        });
      });
      var pages = Object.keys(total).map(Number);
      pages.sort(function (a, b) {
        return (held[b] === terms.length) - (held[a] === terms.length) || total[b] - total[a] || a - b;
      });
      return pages;
    });
  }

  function pageFile(number) {
    return index().then(function (manifest) { return json("pages/" + manifest.key + "-" + number + ".json"); });
  }

  function open() {
    if (!toggle.checked) toggle.click();
    if (document.activeElement !== box) box.focus();
    warm();
  }

  function close() {
    if (toggle.checked) toggle.click();
    box.blur();
  }

  function status(text) {
    meta.textContent = text;
  }

  function withTerms(url, terms) {
    var address = new URL(url, location.href);
    if (terms) address.searchParams.set("h", terms);
    return address.pathname + address.search + address.hash;
  }

  // ---- drawing the results: every title, heading and excerpt set as text, never as HTML.
  var EXCERPT_WORDS = 24;   // words shown of a section, from a few before its first word found

  // How many words of `text` hold a term searched (or a word it begins); the terms held are set
  // true in `held` (by their place in `terms`). Each word split once.
  function tally(text, terms, held) {
    var count = 0;
    (text ? text.split(" ") : []).forEach(function (word) {
      var hit = false;
      tokensOf(word).forEach(function (token) {
        terms.forEach(function (term, at) {
          if (token.indexOf(term) === 0) held[at] = hit = true;
        });
      });
      if (hit) count++;
    });
    return count;
  }

  // A few words of `text`, those found in <mark>: from a little before the first word found
  // whose next few words hold the most of the terms ("back pain" shows where both are, not the
  // first "pain" of a list of sources).
  function excerpt(text, terms) {
    var p = document.createElement("p");
    var all = text ? text.split(" ") : [];
    var held = all.map(function (word) {   // the terms each word holds, by their place in `terms`
      var found = [];
      tally(word, terms, found);
      return found;
    });
    var first = 0;
    var most = 0;
    held.forEach(function (found, at) {
      if (!found.length) return;
      var seen = [];
      held.slice(at, at + EXCERPT_WORDS - 6).forEach(function (found) {
        found.forEach(function (yes, term) { if (yes) seen[term] = true; });
      });
      var count = seen.filter(Boolean).length;
      if (count > most) { most = count; first = at; }
    });
    var start = Math.max(0, first - 6);
    var shown = all.slice(start, start + EXCERPT_WORDS);
    if (start > 0) p.appendChild(document.createTextNode("… "));
    shown.forEach(function (word, index) {
      if (index) p.appendChild(document.createTextNode(" "));
      if (held[start + index].length) {
        var mark = document.createElement("mark");
        mark.textContent = word;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(word));
      }
    });
    if (start + EXCERPT_WORDS < all.length) p.appendChild(document.createTextNode(" …"));
    return p;
  }

  function link(url, heading, level, text, terms, marked) {
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = withTerms(url, marked);
    var article = document.createElement("article");
    article.className = "md-search-result__article md-typeset";
    if (level === 1) {
      var icon = document.createElement("div");
      icon.className = "md-search-result__icon md-icon";
      article.appendChild(icon);
    }
    var title = document.createElement(level === 1 ? "h1" : "h2");
    title.textContent = heading;   // text, never HTML
    article.appendChild(title);
    var p = excerpt(text, terms);
    if (p.textContent) article.appendChild(p);
    a.appendChild(article);
    return a;
  }

  // One result: the page (its title, an excerpt of the section holding the most of the terms,
  // then the most words found), then up to two of its sections holding the most of the terms
  // (in the heading or text), then the most in the heading, then the first, each a link to its
  // heading: for "back pain", "Back pain with these signs" before a section that only says
  // "pain", or the long list of sources that says both.
  function item(data, terms, marked) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var url = siteRoot + data.url;
    var title = data.title || data.url;
    var sections = (data.sections || []).map(function (section, at) {
      // [anchor, heading, text] and, where the section has some, its keywords (found, not shown)
      var inText = [];
      var found = tally(section[2], terms, inText) + tally(section[3] || "", terms, inText);
      var inHeading = [];
      tally(section[1], terms, inHeading);
      var inAll = inText.map(function (held, term) { return held || inHeading[term]; });
      inHeading.forEach(function (held, term) { inAll[term] = inAll[term] || held; });
      return { at: at, anchor: section[0], heading: section[1], text: section[2], found: found,
               inText: inText.filter(Boolean).length, inHeading: inHeading.filter(Boolean).length,
               inAll: inAll.filter(Boolean).length };
    });
    var shown = sections.filter(function (section) {
      return section.anchor && section.inAll && section.heading && section.heading !== title;
    }).sort(function (a, b) {
      return b.inAll - a.inAll || b.inHeading - a.inHeading || a.at - b.at;
    }).slice(0, 2);
    // The page's own excerpt: from its best section not shown below it (the same words twice
    // were one excerpt too many on a phone), and when sections are shown below, only from one
    // holding every word typed (else a list of sources that says "pain" came first).
    var best = sections.filter(function (section) {
      return shown.indexOf(section) === -1 && (!shown.length || section.inText === terms.length);
    }).sort(function (a, b) {
      return b.inText - a.inText || b.found - a.found || a.at - b.at;
    })[0] || { text: "" };
    li.appendChild(link(url, title, 1, best.text, terms, marked));
    shown.forEach(function (section) {
      li.appendChild(link(url + "#" + encodeURIComponent(section.anchor), section.heading, 2, section.text, terms, marked));
    });
    return li;
  }

  // 3. the exact phrase first, the index's order kept within each group
  function exactFirst(pages, phrase) {
    if (!phrase) return pages;
    var holds = function (data) {
      var text = (data.sections || []).map(function (section) { return section[1] + " " + section[2]; }).join(" ");
      return normalize((data.title || "") + " " + text).indexOf(phrase) !== -1;
    };
    return pages.filter(holds).concat(pages.filter(function (data) { return !holds(data); }));
  }

  var latest = 0;   // the number of the latest query: older answers are dropped
  var openFirst = 0;   // the number of a query whose first result Enter asked for before it was drawn
  var shown = { number: 0, results: [], drawn: 0, terms: [], words: "", phrase: "" };

  function draw(pages, terms, marked) {
    pages.forEach(function (data) { list.appendChild(item(data, terms, marked)); });
  }

  function more() {
    var next = shown.results.slice(shown.drawn, shown.drawn + PAGE_SIZE);
    shown.drawn += next.length;
    return Promise.all(next.map(pageFile));
  }

  // More results when the list is scrolled to its end, as Material did, and while the results
  // drawn do not fill the panel (a tall screen, or results of a few lines): with no scroll bar no
  // scroll comes, and the results after the first PAGE_SIZE could never be seen.
  var wrap = panel.querySelector(".md-search__scrollwrap");
  var drawing = 0;   // the number of the query whose next results are being fetched

  function fill() {
    var number = latest;
    if (shown.number !== number || drawing === number || shown.drawn >= shown.results.length ||
        !wrap.clientHeight || wrap.scrollTop + wrap.clientHeight < wrap.scrollHeight - 16) return;
    var terms = shown.terms;
    var searched = shown.words;
    drawing = number;
    more().then(function (pages) {
      if (drawing === number) drawing = 0;
      if (number !== latest) return;
      draw(pages, terms, searched);
      fill();
    }).catch(function () {
      if (drawing === number) drawing = 0;
      if (number === latest) status(words.failed);
    });
  }

  function query(typed, again) {
    var number = ++latest;
    var searched = searchable(normalize(typed));
    var terms = tokensOf(searched).filter(function (term, at, all) { return all.indexOf(term) === at; });
    if (!searched || !terms.length) {
      if (openFirst === -1) openFirst = 0;
      list.textContent = "";
      list.removeAttribute("data-searched");
      status(words.placeholder);
      return;
    }
    status(words.loading);
    if (openFirst === -1) openFirst = number;   // Enter asked for this query's first result
    (again ? forgetIndex() : index()).then(function () {
      // split again now the index's table of word characters is read
      terms = tokensOf(searched).filter(function (term, at, all) { return all.indexOf(term) === at; });
      return find(terms);
    }).then(function (pages) {
      if (number !== latest) return null;
      shown = { number: number, results: pages, drawn: 0, terms: terms, words: termsOf(searched),
                phrase: /[\s'-]/.test(searched) ? searched : "" };
      return more();
    }).then(function (pages) {
      if (pages === null || number !== latest) return;
      list.textContent = "";
      var count = shown.results.length;
      draw(exactFirst(pages, shown.phrase), shown.terms, shown.words);
      list.setAttribute("data-searched", searched);   // what the list answers (tests wait on it)
      status(count === 0 ? words.none : count === 1 ? words.one : words.other.replace("#", String(count)));
      if (openFirst === number && links().length) links()[0].click();
      else fill();
    }).catch(function () {
      if (number !== latest) return;
      if (again) status(words.failed);
      else {
        if (openFirst === number) openFirst = -1;
        query(typed, true);
      }
    });
  }

  wrap.addEventListener("scroll", fill);

  // Typing waits for a pause (QUIET_MS) before searching, so the words typed on the way ("m",
  // "ma", "mas"...) do not each fetch the index's shards and page files.
  var timer = 0;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    timer = 0;
    openFirst = 0;
    latest++;   // an answer to an earlier text is no longer shown
    timer = setTimeout(function () { timer = 0; query(box.value); }, QUIET_MS);
  });
  box.addEventListener("focus", function () { if (!toggle.checked) toggle.click(); warm(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    latest++;
    list.textContent = "";
    list.removeAttribute("data-searched");
    status(words.placeholder);
    box.focus();
  });
  toggle.addEventListener("change", function () { if (toggle.checked) warm(); });

  function links() {
    return Array.prototype.slice.call(list.querySelectorAll("a.md-search-result__link"));
  }

  panel.addEventListener("keydown", function (event) {
    var all = links();
    var at = all.indexOf(document.activeElement);
    if (event.key === "Escape") {
      event.preventDefault();
      close();
    } else if (event.key === "Enter" && event.target === box) {
      // The first result of what the box holds: those drawn if they answer it, else those of the
      // search Enter starts now (typed fast, the search waits for a pause; the list still shows
      // the answer to fewer letters, or nothing).
      event.preventDefault();
      if (!timer && list.getAttribute("data-searched") === searchable(normalize(box.value))) {
        if (all.length) all[0].click();
      } else {
        clearTimeout(timer);
        timer = 0;
        openFirst = -1;   // the next query's number (query)
        query(box.value);
      }
    } else if (event.key === "ArrowDown" && all.length) {
      event.preventDefault();
      all[Math.min(at + 1, all.length - 1)].focus();
    } else if (event.key === "ArrowUp" && (at > 0 || event.target !== box)) {
      event.preventDefault();
      if (at > 0) all[at - 1].focus(); else box.focus();
    }
  });

  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    var target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) return;
    if (event.key === "/") {
      event.preventDefault();
      open();
    }
  });
})();
