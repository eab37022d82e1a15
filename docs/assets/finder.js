/* Therapist finder: filters, ZIP / "use my location" distance sort, state in the URL.
 *
 * The page (docs/therapists/index.md, filled in by scripts/hooks/finder.py) already
 * lists every therapist in plain HTML; this script shows the search form, takes the
 * list items out of the page (keeping their HTML text) and puts back only the matches
 * being shown (the first 50, then "Show more"), so typing stays fast with thousands. Filter fields come from compact data-
 * attributes on each <li>: data-g="lat,lon", data-s/-c/-l/-p = space-separated
 * specialty/credential/language/payment codes, data-f = flags (t telehealth,
 * h home visits, a accepting new clients).
 *
 * Privacy: the ZIP's position comes from a small file on this same site
 * (zip/78.json for 78xxx); the state is kept in the URL's #fragment, which browsers
 * never send to a server; a position from "Use my location" is never stored.
 */
(function () {
  "use strict";
  var form = document.getElementById("finder-form");
  var list = document.getElementById("finder-list");
  if (!form || !list) return;

  var $ = function (id) { return document.getElementById(id); };
  var zipInput = $("finder-zip"), textInput = $("finder-q");
  var count = $("finder-count"), empty = $("finder-empty"), nearStatus = $("finder-near-status");
  var clearNear = $("finder-clear-near");
  var selects = { s: $("finder-s"), c: $("finder-c"), l: $("finder-l"), p: $("finder-p") };
  var checks = { t: $("finder-t"), h: $("finder-h"), a: $("finder-a") };
  var zipBase = form.getAttribute("data-zip-base") || "zip/";
  var zipDigits = parseInt(form.getAttribute("data-zip-digits"), 10) || 2;  // shard = ZIP's first digits
  var EARTH_RADIUS_MILES = 3958.8;

  var languageNames = {};
  Array.prototype.forEach.call(selects.l.options, function (o) { languageNames[o.value] = o.text.toLowerCase(); });

  // Each listing is kept as its HTML text, not as a DOM node: thousands of detached nodes
  // would make every garbage collection slower. Nodes are made again when shown.
  var items = Array.prototype.map.call(list.children, function (el, index) {
    var g = (el.getAttribute("data-g") || "").split(",");
    var langs = el.getAttribute("data-l") || "";
    return {
      html: el.outerHTML, el: null, distEl: null, index: index, dist: null, distText: "",
      lat: parseFloat(g[0]), lon: parseFloat(g[1]),
      s: " " + el.getAttribute("data-s") + " ", c: " " + el.getAttribute("data-c") + " ",
      l: " " + langs + " ", p: " " + el.getAttribute("data-p") + " ", f: el.getAttribute("data-f") || "",
      text: (el.textContent + " " + langs.split(" ").map(function (c) { return languageNames[c] || ""; }).join(" ")).toLowerCase()
    };
  });
  var template = document.createElement("template");

  function node(item) {
    if (!item.el) {
      template.innerHTML = item.html;
      item.el = template.content.firstElementChild;
      item.distEl = item.el.querySelector(".finder-item__dist");
    }
    return item.el;
  }
  var total = items.length;
  var origin = null;        // {lat, lon, label}
  var zipCache = {};        // "78" -> {"78701": [lat, lon], ...}

  function haversineMiles(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
    var a = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(a)));
  }

  // ---- state <-> controls <-> URL fragment
  function readControls() {
    var state = { q: textInput.value.trim(), zip: origin && origin.zip ? origin.zip : "" };
    Object.keys(selects).forEach(function (k) { state[k] = selects[k].value; });
    Object.keys(checks).forEach(function (k) { state[k] = checks[k].checked ? "1" : ""; });
    return state;
  }

  function stateToHash(state) {
    var params = new URLSearchParams();
    ["zip", "q", "s", "c", "l", "p", "t", "h", "a"].forEach(function (k) { if (state[k]) params.set(k, state[k]); });
    var text = params.toString();
    return text ? "#" + text : "";
  }

  function hashToState() {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var state = {};
    ["zip", "q", "s", "c", "l", "p", "t", "h", "a"].forEach(function (k) { state[k] = params.get(k) || ""; });
    return state;
  }

  function writeUrl(push) {
    var hash = stateToHash(readControls());
    if (hash === location.hash || (!hash && !location.hash)) return;
    var url = hash || location.pathname + location.search;
    history[push ? "pushState" : "replaceState"](null, "", url);
  }

  function applyState(state) {
    textInput.value = state.q;
    Object.keys(selects).forEach(function (k) {
      var valid = Array.prototype.some.call(selects[k].options, function (o) { return o.value === state[k]; });
      selects[k].value = valid ? state[k] : "";
    });
    Object.keys(checks).forEach(function (k) { checks[k].checked = state[k] === "1"; });
    zipInput.value = state.zip;
    if (/^\d{5}$/.test(state.zip)) {
      if (!origin || origin.zip !== state.zip) sortFromZip(state.zip, false);
    } else if (origin && origin.zip) {
      setOrigin(null);
    }
    update();
  }

  // ---- filtering and sorting
  // Only the first `limit` matches are shown (PAGE more with "Show more"), so each
  // keystroke touches at most a few dozen list items, even with thousands of listings.
  var PAGE = parseInt(form.getAttribute("data-page-size"), 10) || 50;
  var limit = PAGE;
  var sorted = items.slice();   // all items, in the current order (name, or distance)
  var shownItems = [];          // items currently shown, in order
  var more = $("finder-more");

  function update(keepLimit) {
    if (!keepLimit) limit = PAGE;
    var state = readControls();
    var words = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    var matches = 0, next = [];
    for (var i = 0; i < total; i++) {
      var item = sorted[i];
      var match = (!state.s || item.s.indexOf(" " + state.s + " ") >= 0) &&
        (!state.c || item.c.indexOf(" " + state.c + " ") >= 0) &&
        (!state.l || item.l.indexOf(" " + state.l + " ") >= 0) &&
        (!state.p || item.p.indexOf(" " + state.p + " ") >= 0) &&
        (!state.t || item.f.indexOf("t") >= 0) &&
        (!state.h || item.f.indexOf("h") >= 0) &&
        (!state.a || item.f.indexOf("a") >= 0);
      for (var w = 0; match && w < words.length; w++) match = item.text.indexOf(words[w]) >= 0;
      if (match) {
        matches++;
        if (next.length < limit) next.push(item);
      }
    }
    show(next);
    var order = origin ? "nearest first from " + origin.label : "sorted by name";
    var noun = total === 1 ? "therapist" : "therapists";
    var text = (matches === total ? fmt(total) + " " + noun : "Showing " + fmt(matches) + " of " + fmt(total) + " " + noun) +
      ", " + order + ".";
    if (matches > next.length) text += " The first " + fmt(next.length) + " are listed.";
    count.textContent = text;
    empty.hidden = matches !== 0;
    more.hidden = matches <= next.length;
    more.textContent = "Show " + fmt(Math.min(PAGE, matches - next.length)) + " more";
  }

  function fmt(n) { return n.toLocaleString("en-US"); }

  // Show exactly `next`, in that order. Only shown items are in the document: the
  // others are kept in `items`, so the browser restyles a few dozen elements, not thousands.
  function show(next) {
    var same = next.length === shownItems.length;
    var els = new Array(next.length);
    for (var i = 0; i < next.length; i++) {
      var item = next[i];
      els[i] = node(item);
      if (item.distEl.textContent !== item.distText) item.distEl.textContent = item.distText;
      same = same && shownItems[i] === item;
    }
    if (!same) list.replaceChildren.apply(list, els);
    shownItems = next;
  }

  function setOrigin(next) {
    origin = next;
    sorted = items.slice();
    if (origin) {
      for (var i = 0; i < total; i++) {
        var item = items[i];
        item.dist = haversineMiles(origin.lat, origin.lon, item.lat, item.lon);
        item.distText = " · " + item.dist.toFixed(1) + " miles";
      }
      sorted.sort(function (x, y) { return x.dist - y.dist || x.index - y.index; });
    } else {
      items.forEach(function (item) { item.dist = null; item.distText = ""; });
    }
    clearNear.hidden = !origin;
  }

  function loadShard(prefix) {
    if (zipCache[prefix]) return Promise.resolve(zipCache[prefix]);
    var url = new URL(zipBase + prefix + ".json", location.href);
    return fetch(url.href, { credentials: "same-origin" }).then(function (response) {
      if (response.status === 404) return {};
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) { zipCache[prefix] = data; return data; });
  }

  function sortFromZip(zip, push) {
    if (!/^\d{5}$/.test(zip)) {
      nearStatus.textContent = "Enter a 5-digit ZIP code, like 78701.";
      zipInput.setAttribute("aria-invalid", "true");
      zipInput.focus();
      return Promise.resolve();
    }
    zipInput.removeAttribute("aria-invalid");
    nearStatus.textContent = "Looking up ZIP code " + zip + "…";
    return loadShard(zip.slice(0, zipDigits)).then(function (data) {
      var position = data[zip];
      if (!position) {
        nearStatus.textContent = "ZIP code " + zip + " was not found. Check it, or use your location.";
        zipInput.setAttribute("aria-invalid", "true");
        return;
      }
      setOrigin({ lat: position[0], lon: position[1], label: "ZIP " + zip, zip: zip });
      nearStatus.textContent = "Sorted nearest first from ZIP code " + zip + ".";
      update();
      writeUrl(push);
    }).catch(function () {
      nearStatus.textContent = "Could not look up ZIP code positions right now. Please try again.";
    });
  }

  // ---- events
  $("finder-zip-go").addEventListener("click", function () { sortFromZip(zipInput.value.trim(), true); });
  zipInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); sortFromZip(zipInput.value.trim(), true); }
  });
  textInput.addEventListener("input", function () { update(); writeUrl(false); });
  Object.keys(selects).forEach(function (k) { selects[k].addEventListener("change", function () { update(); writeUrl(true); }); });
  Object.keys(checks).forEach(function (k) { checks[k].addEventListener("change", function () { update(); writeUrl(true); }); });
  $("finder-reset").addEventListener("click", function () {
    textInput.value = "";
    Object.keys(selects).forEach(function (k) { selects[k].value = ""; });
    Object.keys(checks).forEach(function (k) { checks[k].checked = false; });
    update();
    writeUrl(true);
    textInput.focus();
  });
  clearNear.addEventListener("click", function () {
    zipInput.value = "";
    setOrigin(null);
    nearStatus.textContent = "Distance sort cleared; listed by name.";
    update();
    writeUrl(true);
    zipInput.focus();
  });
  $("finder-locate").addEventListener("click", function () {
    if (!navigator.geolocation) {
      nearStatus.textContent = "Your browser cannot share your location. Enter a ZIP code instead.";
      return;
    }
    nearStatus.textContent = "Asking your browser for your location…";
    navigator.geolocation.getCurrentPosition(function (position) {
      zipInput.value = "";
      setOrigin({ lat: position.coords.latitude, lon: position.coords.longitude, label: "your location", zip: "" });
      nearStatus.textContent = "Sorted nearest first from your location. It is not saved or sent anywhere.";
      update();
      writeUrl(true);
    }, function () {
      nearStatus.textContent = "Your location is not available. Enter a ZIP code instead.";
    }, { maximumAge: 600000, timeout: 15000 });
  });
  more.addEventListener("click", function () {
    var first = shownItems.length;
    limit += PAGE;
    update(true);
    var link = shownItems[first] && node(shownItems[first]).querySelector("a");
    if (link) link.focus();  // keyboard users continue where the new results start
  });
  window.addEventListener("popstate", function () { applyState(hashToState()); });

  // Take over from the plain list: empty it, then show the first matches.
  list.replaceChildren();
  form.classList.add("finder-form--on");
  applyState(hashToState());
})();
