/* Therapist finder: the therapists nearest a ZIP code or "Use my location", within a distance,
 * with filters; the choices are kept in the URL.
 *
 * The page holds no listing. Once a place is known, this script fetches data/index.json (each
 * data file's box and count; written by scripts/clinic_site/finder/shards.py) and then only the
 * data files whose box is within the chosen distance, nearest first. When nobody is within it,
 * it goes on fetching the next nearest files until the nearest therapist beyond is known, and
 * names them. A file is fetched once per visit; typing and filters work on what is loaded, so each
 * keystroke filters a few hundred therapists, not the whole directory.
 *
 * Every text from the data is put into the page with textContent: never as HTML.
 *
 * Privacy: the ZIP's position comes from a small file on this same site (zip/78.json for
 * 78xxx); the choices are kept in the URL's #fragment, which browsers never send to a server;
 * a position from "Use my location" is never stored. The home page's ZIP box opens this page
 * with #zip=62704 (overrides/assets/home-zip.js); an older link with ?zip=62704 is read once
 * and taken out of the address.
 */
(function () {
  "use strict";
  var root = document.getElementById("finder");
  if (!root) return;

  var $ = function (id) { return document.getElementById(id); };
  var normalize = window.clinicNormalize || function (text) {   // docs/assets/normalize.js, loaded before
    return String(text || "").toLowerCase().replace(/\s+/g, " ").trim();
  };
  var zipInput = $("finder-zip"), withinSelect = $("finder-within"), textInput = $("finder-q");
  var count = $("finder-count"), list = $("finder-list"), more = $("finder-more"), widen = $("finder-widen");
  var toggle = $("finder-filters-toggle"), panel = $("finder-filters");
  var selects = { s: $("finder-s"), c: $("finder-c"), l: $("finder-l"), p: $("finder-p") };
  var checks = { t: $("finder-t"), h: $("finder-h"), a: $("finder-a") };
  var KEYS = ["zip", "w", "q", "s", "c", "l", "p", "t", "h", "a"];
  var zipBase = root.getAttribute("data-zip-base") || "zip/";
  var LOCATE_MS = 15000;   // how long "Use my location" waits for the browser's answer
  var zipDigits = parseInt(root.getAttribute("data-zip-digits"), 10) || 2;  // ZIP file = the ZIP's first digits
  var indexUrl = new URL(root.getAttribute("data-index") || "data/index.json", location.href);
  var PAGE = parseInt(root.getAttribute("data-page-size"), 10) || 50;
  // 25 miles by default: a drive of about half an hour, which a series of weekly sessions can
  // bear, and wide enough for most suburbs; 10 leaves many towns with nobody, 50 and more put
  // far clinics first in line and make the first search download more.
  var DEFAULT_WITHIN = "25";
  var WITHIN = ["10", "25", "50", "100"];   // then "any"
  // When nobody is within the distance, at most this many more data files are fetched to find
  // the nearest therapist beyond it (filters may match nobody in the whole directory).
  var BEYOND_FILES = 24;
  var EARTH_RADIUS_MILES = 3958.8;

  var labels = {};   // filter -> code -> label, from the page's own options
  Object.keys(selects).forEach(function (k) {
    labels[k] = {};
    Array.prototype.forEach.call(selects[k].options, function (o) { if (o.value) labels[k][o.value] = o.text; });
  });

  function haversineMiles(lat1, lon1, lat2, lon2) {
    var rad = Math.PI / 180;
    var dLat = (lat2 - lat1) * rad, dLon = (lon2 - lon1) * rad;
    var a = Math.pow(Math.sin(dLat / 2), 2) +
      Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * EARTH_RADIUS_MILES * Math.asin(Math.min(1, Math.sqrt(a)));
  }
  function fmt(n) { return n.toLocaleString("en-US"); }
  function therapists(n) { return fmt(n) + (n === 1 ? " therapist" : " therapists"); }

  function getJSON(url) {
    return fetch(url, { credentials: "same-origin" }).then(function (response) {
      if (response.status === 404) return null;
      if (!response.ok) throw new Error("HTTP " + response.status);
      return response.json();
    });
  }

  // ---- the data: index, then data files ("shards") as needed
  var index = null, indexPromise = null;
  var items = [];          // every therapist loaded so far, nearest first once a place is known
  var origin = null;       // {lat, lon, label, zip}
  var zipCache = {};

  function loadIndex() {
    if (!indexPromise) {
      indexPromise = getJSON(indexUrl.href).then(function (data) {
        if (!data) throw new Error("no index");
        var at = {};
        data.columns.forEach(function (name, i) { at[name] = i; });
        var bits = {};
        Object.keys(data.codes).forEach(function (name) {
          bits[name] = {};
          data.codes[name].forEach(function (code, i) { bits[name][code] = i; });
        });
        var flag = {};
        data.flags.forEach(function (name, i) { flag[name] = 1 << i; });
        index = {
          at: at, bits: bits, flag: flag, total: data.total,
          shards: data.shards.map(function (b) {
            return { name: b[0], s: b[1], w: b[2], n: b[3], e: b[4], count: b[5], loaded: false, promise: null, min: 0 };
          })
        };
        return index;
      }, function (error) { indexPromise = null; throw error; });
    }
    return indexPromise;
  }

  function maskLabels(mask, codes, names) {
    var out = [];
    for (var i = 0; i < codes.length; i++) if (mask >> i & 1 && names[codes[i]]) out.push(names[codes[i]]);
    return out.join(" ");
  }

  function loadShard(shard) {
    if (!shard.promise) {
      shard.promise = getJSON(new URL(shard.name, indexUrl).href).then(function (columns) {
        var at = index.at, codes = {};
        Object.keys(index.bits).forEach(function (k) { codes[k] = Object.keys(index.bits[k]); });
        var column = function (name) { return columns[at[name]]; };
        var urls = column("url");
        for (var i = 0; i < urls.length; i++) {
          var tel = column("tel")[i];
          var item = {
            url: urls[i], name: column("name")[i], credentials: column("credentials")[i],
            lat: shard.s + column("lat")[i] / 10000, lon: shard.w + column("lon")[i] / 10000,
            clinic: column("clinic")[i], city: column("city")[i], state: column("state")[i],
            phone: phoneText(tel), tel: tel, flags: column("flags")[i],
            s: column("specialties")[i], l: column("languages")[i], p: column("payment")[i],
            dist: 0, el: null, distEl: null
          };
          item.c = " " + item.credentials + " ";
          item.text = normalize([item.name, item.credentials, item.clinic, item.city, item.state,
            maskLabels(item.s, codes.specialties, labels.s), maskLabels(item.l, codes.languages, labels.l)].join(" "));
          if (origin) item.dist = haversineMiles(origin.lat, origin.lon, item.lat, item.lon);
          items.push(item);
        }
        shard.loaded = true;
        if (origin) sortItems();
      }, function (error) { shard.promise = null; throw error; });
    }
    return shard.promise;
  }

  // "+15125550101;ext=204" -> "(512) 555-0101 ext. 204", as the site writes numbers (clinic_site/phone.py).
  function phoneText(tel) {
    var m = /^\+1(\d{3})(\d{3})(\d{4})(?:;ext=(\d+))?$/.exec(tel);
    return m ? "(" + m[1] + ") " + m[2] + "-" + m[3] + (m[4] ? " ext. " + m[4] : "") : tel;
  }

  function sortItems() { items.sort(function (x, y) { return x.dist - y.dist || (x.name < y.name ? -1 : 1); }); }

  // The nearest any listing of a shard can be (its box's nearest point; 1% less, as the box's
  // edges are not great circles), and the shards by that distance.
  var order = [];
  function setOrigin(next) {
    origin = next;
    if (!origin || !index) { order = []; return; }
    index.shards.forEach(function (b) {
      var lat = Math.min(Math.max(origin.lat, b.s), b.n), lon = Math.min(Math.max(origin.lon, b.w), b.e);
      b.min = 0.99 * haversineMiles(origin.lat, origin.lon, lat, lon);
    });
    order = index.shards.slice().sort(function (x, y) { return x.min - y.min; });
    items.forEach(function (item) { item.dist = haversineMiles(origin.lat, origin.lon, item.lat, item.lon); });
    sortItems();
  }

  // ---- the choices
  function readControls() {
    var state = { q: textInput.value, zip: origin && origin.zip ? origin.zip : "", w: withinSelect.value };
    Object.keys(selects).forEach(function (k) { state[k] = selects[k].value; });
    Object.keys(checks).forEach(function (k) { state[k] = checks[k].checked ? "1" : ""; });
    return state;
  }
  function limitMiles(state) { return state.w === "any" ? Infinity : parseFloat(state.w); }
  function filtersInUse(state) {
    return ["q", "s", "c", "l", "p", "t", "h", "a"].filter(function (k) {
      return k === "q" ? normalize(state.q) !== "" : !!state[k];
    }).length;
  }

  function matcher(state) {
    var words = normalize(state.q).split(" ").filter(Boolean);
    var bit = function (name, code) { return code ? (index.bits[name][code] === undefined ? -1 : index.bits[name][code]) : null; };
    var sb = bit("specialties", state.s), lb = bit("languages", state.l), pb = bit("payment", state.p);
    var c = state.c ? " " + state.c + " " : "";
    var need = (state.t ? index.flag.telehealth : 0) | (state.h ? index.flag.home_visits : 0) |
      (state.a ? index.flag.accepting_new_clients : 0);
    return function (item) {
      if ((item.flags & need) !== need) return false;
      if (sb !== null && (sb < 0 || !(item.s >> sb & 1))) return false;
      if (lb !== null && (lb < 0 || !(item.l >> lb & 1))) return false;
      if (pb !== null && (pb < 0 || !(item.p >> pb & 1))) return false;
      if (c && item.c.indexOf(c) < 0) return false;
      for (var w = 0; w < words.length; w++) if (item.text.indexOf(words[w]) < 0) return false;
      return true;
    };
  }

  // ---- URL: #zip=62704&w=50&s=lymph (the fragment stays in the browser)
  function stateToHash(state) {
    var params = new URLSearchParams();
    KEYS.forEach(function (k) {
      var value = k === "q" ? state.q.trim() : state[k];
      if (value && !(k === "w" && value === DEFAULT_WITHIN)) params.set(k, value);
    });
    var text = params.toString();
    return text ? "#" + text : "";
  }
  function urlToState(withQuery) {
    var params = new URLSearchParams(location.hash.replace(/^#/, ""));
    var state = {};
    KEYS.forEach(function (k) { state[k] = params.get(k) || ""; });
    if (withQuery && !state.zip) state.zip = (new URLSearchParams(location.search).get("zip") || "").trim();
    return state;
  }
  function writeUrl(push) {
    var hash = stateToHash(readControls());
    var hadQuery = new URLSearchParams(location.search).has("zip");
    if (!hadQuery && (hash === location.hash || (!hash && !location.hash))) return;
    var search = new URLSearchParams(location.search);
    search.delete("zip");   // the home page's ?zip=: now in the fragment, where it is not sent on reload
    var query = search.toString();
    history[push ? "pushState" : "replaceState"](null, "", location.pathname + (query ? "?" + query : "") + hash);
  }

  // ---- what is shown
  var message = count.textContent;  // shown while no place is chosen
  var limit = PAGE;                 // results shown before "Show more"
  var shownItems = [];
  var widenTo = "";
  var drawnOrigin = null;           // the place the shown results are from
  var run = 0;                      // the latest drawing; older ones stop when their data arrives
  var placeRun = 0;                 // the latest ZIP or location asked for; older answers are dropped
  var reveal = null;                // after a search: {focus} to bring the results into view

  function setStatus(text) { if (count.textContent !== text) count.textContent = text; }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  // Tenths of a mile matter near by, not across the country: "2.8 miles", "1,430 miles".
  function milesText(miles) {
    if (miles < 0.1) return "under 0.1 miles";
    return (miles < 100 ? miles.toFixed(1) : fmt(Math.round(miles))) + " miles";
  }

  function card(item) {
    if (item.el) return item.el;
    var li = el("li", "finder-card");
    var title = el("p", "finder-card__title");
    title.append(el("strong", "finder-card__name", item.name), ", " + item.credentials.split(" ").join(", "));
    var where = el("p", "finder-card__where");
    item.distEl = el("span", "finder-card__dist", milesText(item.dist));
    where.append(item.distEl, " · " + item.clinic + ", " + item.city + ", " + item.state);
    var tags = el("p", "finder-card__tags");
    var badge = function (text, extra) { tags.append(el("span", "finder-badge" + (extra ? " finder-badge--" + extra : ""), text), " "); };
    if (item.flags & index.flag.at_clinic) badge("At our clinic", "clinic");
    if (item.flags & index.flag.sample) badge("Sample", "sample");
    if (item.flags & index.flag.accepting_new_clients) badge("Accepting new clients", "yes");
    else badge("Not accepting new clients", "no");
    if (item.flags & index.flag.telehealth) badge("Telehealth");
    if (item.flags & index.flag.home_visits) badge("Home visits");
    var actions = el("p", "finder-card__actions");
    var call = el("a", "md-button md-button--primary finder-card__call", "Call " + item.phone);
    call.href = "tel:" + item.tel;
    call.append(el("span", "finder-sr", ", " + item.name));
    var page = el("a", "md-button finder-card__page", "Full listing");
    page.setAttribute("href", item.url);   // relative to this page, as written in the data
    page.append(el("span", "finder-sr", ": " + item.name));
    actions.append(call, " ", page);
    li.append(title, where, tags, actions);
    item.el = li;
    return li;
  }

  function show(next) {
    var same = next.length === shownItems.length;
    for (var i = 0; same && i < next.length; i++) same = shownItems[i] === next[i];
    if (!same) list.replaceChildren.apply(list, next.map(card));
    shownItems = next;
  }

  // No results, and a status that says why: one place at a time, never the last place's list
  // under a new status.
  function clearResults(text) {
    drawnOrigin = null;
    show([]);
    setWiden("", "");
    more.hidden = true;
    setStatus(text);
  }

  function setWiden(value, text) {
    widenTo = value;
    widen.hidden = !value;
    if (value) widen.textContent = text;
  }

  // Which data files must be loaded before the results can be shown (none: show them).
  function missing(state, match) {
    var unloaded = order.filter(function (b) { return !b.loaded; });
    var reach = unloaded.length ? unloaded[0].min : Infinity;   // every therapist nearer than this is loaded
    var miles = limitMiles(state);
    if (isFinite(miles)) {
      var inside = unloaded.filter(function (b) { return b.min <= miles; });
      if (inside.length) return inside;
      for (var i = 0; i < items.length; i++) {
        if (items[i].dist > reach) break;
        if (match(items[i])) return [];   // the nearest match, within the distance or beyond it, is known
      }
      var beyond = order.filter(function (b) { return b.loaded && b.min > miles; }).length;
      return beyond < BEYOND_FILES ? unloaded.slice(0, 4) : [];
    }
    var final = 0;
    for (var j = 0; j < items.length && items[j].dist <= reach && final < limit; j++) if (match(items[j])) final++;
    return final >= limit ? [] : unloaded.slice(0, 4);
  }

  function update(keepLimit) {
    if (!keepLimit) limit = PAGE;
    var state = readControls();
    var n = filtersInUse(state);
    toggle.textContent = "Filters (" + n + ")";
    if (!origin) {
      clearResults(message);
      return;
    }
    var match = matcher(state);
    var need = missing(state, match);
    if (need.length) {
      var mine = ++run;
      list.setAttribute("aria-busy", "true");
      if (drawnOrigin !== origin) clearResults("Looking up therapists near " + origin.label + "…");
      Promise.all(need.map(loadShard)).then(function () {
        if (mine === run) update(true);
      }, function () {
        if (mine !== run) return;
        list.removeAttribute("aria-busy");
        clearResults("The list of therapists could not be loaded right now. Please try again.");
      });
      return;
    }
    run++;
    list.removeAttribute("aria-busy");
    draw(state, match, n);
  }

  function draw(state, match, filters) {
    drawnOrigin = origin;
    var miles = limitMiles(state);
    var unloaded = order.filter(function (b) { return !b.loaded; });
    var reach = unloaded.length ? unloaded[0].min : Infinity;
    var matching = filters ? " matching your filters" : "";
    var found = [], nearestBeyond = null, total = 0;
    for (var i = 0; i < items.length; i++) {
      var item = items[i];
      if (item.dist > reach) break;
      if (!match(item)) continue;
      if (item.dist > miles) { nearestBeyond = item; break; }
      total++;
      if (found.length < limit) found.push(item);
    }
    for (var k = 0; k < found.length; k++) {
      var text = milesText(found[k].dist);
      if (found[k].distEl && found[k].distEl.textContent !== text) found[k].distEl.textContent = text;
    }
    show(found);
    setWiden("", "");
    var status, exact = true;
    if (isFinite(miles)) {
      var area = " within " + fmt(miles) + " miles of " + origin.label;
      if (total) {
        status = therapists(total) + matching + area + ", nearest first.";
      } else {
        status = "No therapist" + matching + area + ".";
        if (nearestBeyond) {
          status += " The nearest is " + nearestBeyond.name + ", " + milesText(nearestBeyond.dist) + " away in " +
            nearestBeyond.city + ", " + nearestBeyond.state + ".";
          var wider = WITHIN.filter(function (w) { return parseFloat(w) >= nearestBeyond.dist; })[0] || "any";
          setWiden(wider, wider === "any" ? "Search at any distance" : "Search within " + wider + " miles");
        } else if (!unloaded.length) {
          status += filters ? " No therapist in the directory matches these filters." : "";
        } else {
          setWiden("any", "Search at any distance");
        }
      }
    } else {
      exact = !unloaded.length || !filters;
      if (exact && !unloaded.length) {
        status = total ? therapists(total) + matching + " at any distance from " + origin.label + ", nearest first."
          : "No therapist in the directory matches these filters.";
      } else if (exact) {
        total = index.total;
        status = therapists(total) + " at any distance from " + origin.label + ", nearest first.";
      } else {
        if (found.length === 1) status = "The nearest therapist" + matching + " to " + origin.label + " is listed.";
        else status = "The " + fmt(found.length) + " nearest therapists" + matching + " to " + origin.label + " are listed.";
      }
    }
    if (exact && total > found.length) status += " The first " + fmt(found.length) + " are listed.";
    setStatus(status);
    more.hidden = exact ? total <= found.length : !unloaded.length && found.length < limit;
    more.textContent = exact ? "Show " + fmt(Math.min(PAGE, total - found.length)) + " more" : "Show more";
    if (reveal) bringIntoView();
  }

  // After a search, the first results in sight: on a phone the page scrolls to the count, with
  // the first card under it; focus moves there, so a screen reader reads it and the phone's
  // keyboard closes (it would cover the results).
  function bringIntoView() {
    var how = reveal;
    reveal = null;
    if (how.focus) count.focus({ preventScroll: true });
    var first = list.firstElementChild || count;
    var box = first.getBoundingClientRect();
    if (box.top < 0 || box.bottom > window.innerHeight) count.scrollIntoView({ block: "start" });
  }

  // ---- a place: ZIP code or the browser's position
  function placeProblem(text) {
    setOrigin(null);
    message = text;
    update();
  }

  // A ZIP code as people paste or type it (issue 24): spaces around it, ZIP+4 ("62704-1234",
  // "62704 1234"), words around it ("ZIP 62704", "Springfield, IL 62704"), full-width digits. The
  // last five-digit number not part of a longer one is the ZIP (an address ends with it); its +4
  // is left out. "" when there is none.
  function zipOf(text) {
    var plain = String(text || "").normalize("NFKC");
    var found = plain.match(/(^|[^0-9])([0-9]{5})(?:[ \t\u00a0]*[-\u2010-\u2015\u2212][ \t\u00a0]*[0-9]{4}|[ \u00a0][0-9]{4})?(?![0-9])/g);
    if (!found) return "";
    return found[found.length - 1].replace(/^[^0-9]/, "").slice(0, 5);
  }

  function searchZip(typed, push, how) {
    var mine = ++placeRun;
    var zip = zipOf(typed) || String(typed || "").trim();
    if (zip !== typed && /^\d{5}$/.test(zip)) zipInput.value = zip;   // the box shows the ZIP it searched
    if (!/^\d{5}$/.test(zip)) {
      zipInput.setAttribute("aria-invalid", "true");
      placeProblem("Enter a 5-digit ZIP code, like 62704, to see therapists near you.");
      writeUrl(push);
      zipInput.focus();
      return Promise.resolve();
    }
    zipInput.removeAttribute("aria-invalid");
    clearResults("Looking up ZIP code " + zip + "…");
    var prefix = zip.slice(0, zipDigits);
    var positions = zipCache[prefix] ? Promise.resolve(zipCache[prefix]) :
      getJSON(new URL(zipBase + prefix + ".json", location.href).href).then(function (data) { return (zipCache[prefix] = data || {}); });
    return Promise.all([positions, loadIndex()]).then(function (both) {
      if (mine !== placeRun) return;
      var position = both[0][zip];
      if (!position) {
        zipInput.setAttribute("aria-invalid", "true");
        placeProblem("ZIP code " + zip + " was not found, so no therapists are listed. Check the ZIP code, or use your location.");
        writeUrl(push);
        return;
      }
      setOrigin({ lat: position[0], lon: position[1], label: "ZIP " + zip, zip: zip });
      reveal = how || null;
      update();
      writeUrl(push);
    }).catch(function () {
      if (mine === placeRun) placeProblem("The finder's data could not be loaded right now. Please try again.");
    });
  }

  function applyState(state, how) {
    textInput.value = state.q;
    Object.keys(selects).forEach(function (k) {
      var valid = Array.prototype.some.call(selects[k].options, function (o) { return o.value === state[k]; });
      selects[k].value = valid ? state[k] : "";
    });
    Object.keys(checks).forEach(function (k) { checks[k].checked = state[k] === "1"; });
    withinSelect.value = WITHIN.indexOf(state.w) >= 0 || state.w === "any" ? state.w : DEFAULT_WITHIN;
    state.zip = zipOf(state.zip) || state.zip;
    zipInput.value = state.zip;
    if (state.zip && (!origin || origin.zip !== state.zip)) {
      searchZip(state.zip, false, how);
    } else {
      if (!state.zip && origin && origin.zip) placeProblem(count.getAttribute("data-prompt"));
      update();
    }
  }

  // ---- events
  function userSearch() { searchZip(zipInput.value, true, { focus: true }); }
  $("finder-zip-go").addEventListener("click", userSearch);
  zipInput.addEventListener("keydown", function (event) {
    if (event.key === "Enter") { event.preventDefault(); userSearch(); }
  });
  // The URL follows typing once it pauses: writing it costs more than filtering (history API).
  var urlTimer = 0;
  textInput.addEventListener("input", function () {
    update();
    clearTimeout(urlTimer);
    urlTimer = setTimeout(function () { writeUrl(false); }, 400);
  });
  textInput.addEventListener("keydown", function (event) { if (event.key === "Enter") event.preventDefault(); });
  Object.keys(selects).forEach(function (k) { selects[k].addEventListener("change", function () { update(); writeUrl(true); }); });
  Object.keys(checks).forEach(function (k) { checks[k].addEventListener("change", function () { update(); writeUrl(true); }); });
  withinSelect.addEventListener("change", function () { update(); writeUrl(true); });
  widen.addEventListener("click", function () {
    if (!widenTo) return;
    withinSelect.value = widenTo;
    reveal = { focus: true };
    update();
    writeUrl(true);
  });
  $("finder-reset").addEventListener("click", function () {
    textInput.value = "";
    Object.keys(selects).forEach(function (k) { selects[k].value = ""; });
    Object.keys(checks).forEach(function (k) { checks[k].checked = false; });
    update();
    writeUrl(true);
    textInput.focus();
  });
  toggle.addEventListener("click", function () {
    var open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    panel.classList.toggle("finder-filters--closed", !open);
    if (open) textInput.focus();
  });
  $("finder-locate").addEventListener("click", function () {
    if (!navigator.geolocation) {
      placeProblem("Your browser cannot share your location. Enter a ZIP code instead.");
      return;
    }
    var mine = ++placeRun;
    clearResults("Asking your browser for your location…");
    // The browser's own timeout counts only once the person has answered its question (or never,
    // in some browsers): a question left unanswered, or a position that never comes, would leave
    // "Asking…" for good. After LOCATE_MS the finder stops waiting, says so and points to the ZIP
    // box (a position arriving later is dropped). data-locate-ms on the finder sets another time
    // (tests: tests/test_finder_browser.py).
    var waited = setTimeout(function () {
      if (mine !== placeRun) return;
      ++placeRun;
      placeProblem("Your location did not arrive, so no therapists are listed. Enter your ZIP code in the ZIP code box above instead.");
      zipInput.focus();
    }, parseInt(root.getAttribute("data-locate-ms"), 10) || LOCATE_MS);
    navigator.geolocation.getCurrentPosition(function (position) {
      clearTimeout(waited);
      loadIndex().then(function () {
        if (mine !== placeRun) return;
        zipInput.value = "";
        zipInput.removeAttribute("aria-invalid");
        setOrigin({ lat: position.coords.latitude, lon: position.coords.longitude, label: "your location", zip: "" });
        reveal = { focus: true };
        update();
        writeUrl(true);
      }, function () {
        if (mine === placeRun) placeProblem("The list of therapists could not be loaded right now. Please try again.");
      });
    }, function () {
      clearTimeout(waited);
      if (mine === placeRun) placeProblem("Your location is not available. Enter a ZIP code instead.");
    }, { maximumAge: 600000, timeout: LOCATE_MS });
  });
  more.addEventListener("click", function () {
    var first = shownItems.length;
    limit += PAGE;
    update(true);
    var link = shownItems[first] && shownItems[first].el.querySelector("a");
    if (link) link.focus();  // keyboard users continue where the new results start
  });
  window.addEventListener("popstate", function () { applyState(urlToState(false)); });

  count.setAttribute("data-prompt", message);
  root.classList.add("finder--on");
  var start = urlToState(true);
  var fromHome = !location.hash && !!start.zip;
  applyState(start, fromHome ? { focus: false } : null);
})();
