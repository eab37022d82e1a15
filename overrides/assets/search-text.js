// The site search (issues 13, 24, 26): the header's search box (partials/site-search.html) and its
// results, over Pagefind's index (pagefind/, written after the engine by
// scripts/clinic_site/postbuild/site_search.py). Nothing is downloaded until the box is used: then
// pagefind/pagefind.js is imported, and it fetches its WebAssembly, the index's metadata and only
// the index chunks and page fragments a query needs (all from this site). The search runs in the
// page (noWorker): Pagefind's worker would be one more file to download before the first result.
//
// 1. What is typed is normalized by window.clinicNormalize (normalize.js, loaded before this):
//    "Don’t", "DON'T" and "don't" become the same query; every dash becomes "-". Pagefind folds
//    accents itself, on both sides ("cafe" finds "café", "Sjogren" finds "Sjögren"); the rule
//    folds them in the query too, which changes nothing Pagefind finds. The box keeps what was typed.
// 2. Any character may be typed (5., below): only letters, digits and marks are searched, so a
//    trailing ":" or "?" never empties the results.
// 3. Pages holding the exact phrase come first: for a query of two or more words ("post-op",
//    "don't"), the results whose text holds the normalized phrase move to the top, in Pagefind's
//    order; then the pages holding all the words, then those holding some of them.
// 4. Results are links with their page's title (and up to two of its sections), each address with
//    ?h=<the words searched>; on the page opened, those words are marked in the article, however
//    the page writes them ("Don’t", "café").
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

  // The words marked on the opened page: the query's words, split at hyphens and apostrophes'
  // neighbours as the index splits them ("post-op" marks "post" and "op").
  function termsOf(query) {
    return query.split(/[\s\-]+/).filter(Boolean).join(" ");
  }

  // ---- 4. marking the words of ?h= on a page opened from a result
  var WORD_SPLIT = /([^\s.,:;!?()[\]"/\-\u2010-\u2015\u2212]+)/;

  function markTerms() {
    var terms = (new URL(location.href).searchParams.get("h") || "").split(" ").filter(Boolean);
    var content = document.querySelector("article.md-content__inner");
    if (!terms.length || !content) return;
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest("mark, script, style")) nodes.push(node);
    }
    nodes.forEach(function (node) {
      var parts = node.data.split(WORD_SPLIT);
      if (parts.length < 2) return;
      var marked = false;
      var pieces = parts.map(function (part, index) {
        var word = normalize(part);
        var hit = index % 2 === 1 && terms.some(function (term) { return word.indexOf(term) === 0; });
        if (!hit) return document.createTextNode(part);
        marked = true;
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
  var siteRoot = folder.pathname.replace(/pagefind\/$/, "");
  // The theme's words (partials/languages/en.html, through the panel's data- attributes).
  var words = { placeholder: meta.textContent.trim(), none: panel.getAttribute("data-none"),
                one: panel.getAttribute("data-one"), other: panel.getAttribute("data-other"),
                loading: "Searching…", failed: "Search is not available right now" };

  var engine = null;   // the promise of Pagefind's module, set up once
  function pagefind() {
    if (!engine) {
      engine = import(new URL("pagefind.js", folder).href).then(function (module) {
        return module.options({ baseUrl: siteRoot, noWorker: true, excerptLength: 24 })
          .then(function () { return module.init(); })
          .then(function () { return module; });
      });
      engine.catch(function () { engine = null; });
    }
    return engine;
  }

  function open() {
    if (!toggle.checked) toggle.click();
    if (document.activeElement !== box) box.focus();
    pagefind();
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

  // Pagefind's excerpt is text with the words found in <mark>: it is read in an inert template
  // (nothing in it loads or runs) and rebuilt from its text and marks only, never used as HTML.
  function excerpt(html) {
    var inert = document.createElement("template");
    inert.innerHTML = html || "";
    var p = document.createElement("p");
    inert.content.childNodes.forEach(function (node) {
      if (node.nodeName === "MARK") {
        var mark = document.createElement("mark");
        mark.textContent = node.textContent;
        p.appendChild(mark);
      } else {
        p.appendChild(document.createTextNode(node.textContent));
      }
    });
    return p;
  }

  function link(url, heading, level, text, terms) {
    var a = document.createElement("a");
    a.className = "md-search-result__link";
    a.href = withTerms(url, terms);
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
    var p = excerpt(text);
    if (p.textContent) article.appendChild(p);
    a.appendChild(article);
    return a;
  }

  function item(data, terms) {
    var li = document.createElement("li");
    li.className = "md-search-result__item";
    var title = (data.meta && data.meta.title) || data.url;
    li.appendChild(link(data.url, title, 1, data.excerpt, terms));
    (data.sub_results || []).filter(function (sub) {
      return sub.url !== data.url && sub.url.indexOf("#") !== -1 && sub.title && sub.title !== title;
    }).slice(0, 2).forEach(function (sub) {
      li.appendChild(link(sub.url, sub.title, 2, sub.excerpt, terms));
    });
    return li;
  }

  // 3. the exact phrase first, Pagefind's order kept within each group
  function exactFirst(pages, phrase) {
    if (!phrase) return pages;
    var holds = function (data) {
      return normalize((data.meta && data.meta.title || "") + " " + (data.content || "")).indexOf(phrase) !== -1;
    };
    return pages.filter(holds).concat(pages.filter(function (data) { return !holds(data); }));
  }

  var latest = 0;   // the number of the latest query: older answers are dropped
  var shown = { results: [], drawn: 0, terms: "", phrase: "" };

  function draw(pages, terms) {
    pages.forEach(function (data) { list.appendChild(item(data, terms)); });
  }

  function more() {
    var next = shown.results.slice(shown.drawn, shown.drawn + PAGE_SIZE);
    shown.drawn += next.length;
    return Promise.all(next.map(function (result) { return result.data(); }));
  }

  function query(typed) {
    var number = ++latest;
    var searched = searchable(normalize(typed));
    if (!searched) {
      list.textContent = "";
      list.removeAttribute("data-searched");
      status(words.placeholder);
      return;
    }
    status(words.loading);
    pagefind().then(function (module) {
      // Pagefind finds the pages holding every word; the pages holding only some of them follow,
      // best first ("post-op": pages with "post-op", then those with "post" or "op...").
      var parts = searched.split(/[\s-]+/).filter(Boolean);
      var searches = [module.search(searched)];
      if (parts.length > 1) parts.forEach(function (part) { searches.push(module.search(part)); });
      return Promise.all(searches);
    }).then(function (answers) {
      if (number !== latest) return null;
      var all = answers[0] ? answers[0].results : [];
      var seen = {};
      all.forEach(function (result) { seen[result.id] = true; });
      var some = [];
      answers.slice(1).forEach(function (answer) {
        (answer ? answer.results : []).forEach(function (result) {
          if (!seen[result.id]) { seen[result.id] = true; some.push(result); }
        });
      });
      some.sort(function (a, b) { return b.score - a.score; });
      shown = { results: all.concat(some), drawn: 0, terms: termsOf(searched),
                phrase: /[\s'-]/.test(searched) ? searched : "" };
      return more();
    }).then(function (pages) {
      if (pages === null || number !== latest) return;
      list.textContent = "";
      var count = shown.results.length;
      draw(exactFirst(pages, shown.phrase), shown.terms);
      list.setAttribute("data-searched", searched);   // what the list answers (tests wait on it)
      status(count === 0 ? words.none : count === 1 ? words.one : words.other.replace("#", String(count)));
    }).catch(function () {
      if (number === latest) status(words.failed);
    });
  }

  // More results when the list is scrolled to its end, as Material did.
  panel.querySelector(".md-search__scrollwrap").addEventListener("scroll", function (event) {
    var wrap = event.target;
    if (shown.drawn >= shown.results.length || wrap.scrollTop + wrap.clientHeight < wrap.scrollHeight - 16) return;
    var number = latest;
    var terms = shown.terms;
    more().then(function (pages) { if (number === latest) draw(pages, terms); });
  });

  // Typing waits for a pause (QUIET_MS) before searching, so the words typed on the way ("m",
  // "ma", "mas"...) do not each fetch index chunks and fragments.
  var timer = 0;
  box.addEventListener("input", function () {
    clearTimeout(timer);
    latest++;   // an answer to an earlier text is no longer shown
    timer = setTimeout(function () { query(box.value); }, QUIET_MS);
  });
  box.addEventListener("focus", function () { if (!toggle.checked) toggle.click(); pagefind(); });
  form.addEventListener("submit", function (event) { event.preventDefault(); });
  form.addEventListener("reset", function () {
    latest++;
    list.textContent = "";
    list.removeAttribute("data-searched");
    status(words.placeholder);
    box.focus();
  });
  toggle.addEventListener("change", function () { if (toggle.checked) pagefind(); });

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
      event.preventDefault();
      if (all.length) all[0].click();
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
