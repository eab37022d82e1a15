// The site search finds what people type (issue 13). Material's search runs Lunr in a web worker
// (search/search_index.json); this script changes only the messages between the page and it.
//
// 1. What is typed is normalized by window.clinicNormalize (normalize.js, loaded before this):
//    "Don’t", "DON'T" and "don't" become the same query. The indexed text went through the same
//    rule at build (clinic_site/text_normalize.py: normalize_search_index), so both sides meet.
//    The search box keeps what the person typed; only the query sent to the worker changes.
// 2. Pages holding the exact phrase come first. Lunr has no phrase search: "post-op" is searched
//    as "post" OR "op", and Material ranks pages by those words alone, so pages with many
//    "post"s came before the page that says "post-op". For a query of two or more words, the
//    result pages whose shown title or text holds the normalized phrase move to the top, in
//    Material's order, and their scores are raised above the rest (Material's Enter key opens the
//    highest score). Done on the worker's answer before Material reads it, so Material renders,
//    highlights and lazy-loads the results as usual. (Changing the index instead, e.g. keeping
//    "post-op" one word, would stop "op" or "surgical" finding "post-op" or "post-surgical".)
//
// 3. Material reads the search box on key release ("keyup") only, so text that arrives without a
//    key (pasted, put in by a phone's autocorrect, "é" typed by some keyboards) was not searched
//    until the next key. Each "input" of the search box is passed on as a key release.
// 4. search.highlight: on the page opened from a result, Material marks the words of its ?h=
//    address, now in the normalized form ("don't", "cafe"), only where the page writes them the
//    same way. Words the page writes otherwise ("Don’t", "café") are marked here, whole; words
//    Material marks itself are left to it.
//
// (5., below: what may be typed.)
//
// Material's messages (9.x, integrations/search/worker/message): {type: 2, data: query} to the
// worker, {type: 3, data: {items: [[article, ...sections]]}} back, one answer per query, in order.
(function () {
  "use strict";
  var QUERY = 2;
  var RESULT = 3;
  if (typeof Worker === "undefined" || typeof window.clinicNormalize !== "function") return;

  var pending = [];            // the phrases of the queries sent, oldest first
  var watched = new WeakSet(); // the workers this script has sent a query to
  var inert = document.createElement("template");

  function shownText(html) {
    inert.innerHTML = html; // a template's content is inert: nothing in it loads or runs
    return window.clinicNormalize(inert.content.textContent);
  }

  function exactFirst(items, phrase) {
    var top = 0;
    items.forEach(function (group) {
      group.forEach(function (doc) { top = Math.max(top, doc.score); });
    });
    var exact = [];
    var rest = [];
    items.forEach(function (group) {
      var holds = group.some(function (doc) {
        return shownText(doc.title + " " + doc.text).indexOf(phrase) !== -1;
      });
      if (holds) group.forEach(function (doc) { doc.score += top + 1; }); // above every other score
      (holds ? exact : rest).push(group);
    });
    items.splice.apply(items, [0, items.length].concat(exact, rest));
  }

  function onAnswer(message) {
    if (!message || message.type !== RESULT) return;
    var phrase = pending.shift();
    if (phrase && message.data && Array.isArray(message.data.items)) exactFirst(message.data.items, phrase);
  }

  // Material reads each answer once, as event.data, in a listener it added before this script
  // ran (and a worker calls its listeners in the order they were added), so the answer is
  // re-ordered where Material reads it: the data of a message event from a search worker this
  // script has sent a query to, once per event. Every other message event is left alone.
  var dataOf = Object.getOwnPropertyDescriptor(MessageEvent.prototype, "data");
  var answered = new WeakSet();
  Object.defineProperty(MessageEvent.prototype, "data", {
    configurable: true,
    enumerable: dataOf.enumerable,
    get: function () {
      var message = dataOf.get.call(this);
      if (this.target instanceof Worker && watched.has(this.target) && !answered.has(this)) {
        answered.add(this);
        onAnswer(message);
      }
      return message;
    }
  });

  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.matches("input.md-search__input")) {
      box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
  }, true);

  var terms = (new URL(location.href).searchParams.get("h") || "").split(" ").filter(Boolean);
  var content = document.querySelector('[data-md-component="content"]');
  if (terms.length && content) {
    var walker = document.createTreeWalker(content, NodeFilter.SHOW_TEXT);
    var nodes = [];
    for (var node = walker.nextNode(); node; node = walker.nextNode()) {
      if (!node.parentElement.closest("mark")) nodes.push(node);
    }
    nodes.forEach(function (node) {
      var parts = node.data.split(/([^\s.,:;!?()[\]"/]+)/);
      if (parts.length < 2) return;
      var marked = false;
      var pieces = parts.map(function (part, index) {
        var word = window.clinicNormalize(part);
        var differs = index % 2 === 1 && terms.some(function (term) {
          return word.indexOf(term) !== -1 && part.toLowerCase().indexOf(term) === -1;
        });
        if (!differs) return document.createTextNode(part);
        marked = true;
        var mark = document.createElement("mark");
        mark.setAttribute("data-md-highlight", "");
        mark.textContent = part;
        return mark;
      });
      if (marked) node.replaceWith.apply(node, pieces);
    });
  }

  // 5. Any character may be typed (issue 24): punctuation and symbols are not searched for, so
  //    none of them empties the results. Lunr reads some as operators ("^" boost, "~" fuzzy,
  //    ":" field, "-" at a word's start "must not contain", "+" "must contain", "*" wildcard) and
  //    stops on a query like "~massage" or "massage^" (QueryParseError, no results); the others
  //    ("massage#", "(massage", "massage.") became a word no page holds. Only letters, digits and
  //    marks are searched, with an apostrophe or hyphen inside a word ("don't", "post-op") and a
  //    point between digits ("2.5") kept, as the index writes them; everything else becomes a
  //    space. A query of punctuation alone is an empty query: Material's "Type to start searching".
  var OTHER = /[^\p{L}\p{N}\p{M}'.\- ]+/gu;
  var LOOSE_JOINER = /(^|[^\p{L}\p{N}\p{M}])['\-]+|['\-]+(?![\p{L}\p{N}])/gu;
  var LOOSE_POINT = /(^|[^\p{N}])\.+|\.+(?!\p{N})/gu;

  function searchable(text) {
    return text.replace(OTHER, " ").replace(LOOSE_POINT, "$1 ").replace(LOOSE_JOINER, "$1 ")
      .replace(/ +/g, " ").trim();
  }
  window.clinicSearchable = searchable;

  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      watched.add(this);
      var query = searchable(window.clinicNormalize(message.data));
      // The phrase: the query's words; only for two words or more.
      pending.push(/[\s-]/.test(query) ? query : "");
      return post.call(this, { type: QUERY, data: query });
    }
    return post.apply(this, arguments);
  };
})();
