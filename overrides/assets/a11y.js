// Accessibility fixes on top of Material (tests/test_keyboard.py, tests/test_accessibility.py).
// This script comes at the end of the page, after the elements it changes.

// Material's icon-only toggles are <label>s that its script opens on Enter when focused, but it
// leaves them without a name and keeps section arrows out of the Tab order (on phones a section
// is a sub-menu). They work only through Material's script, so this script finishes them: a
// visually hidden name (.visually-hidden in site.css) and a place in the Tab order.
function nameToggle(label, name) {
  if (!label) return;
  label.setAttribute("tabindex", "0");
  var text = document.createElement("span");
  text.className = "visually-hidden";
  text.textContent = name;
  label.prepend(text);
}
// The site is in English (theme.language: en), as these names are.
nameToggle(document.querySelector('label.md-header__button[for="__drawer"]'), "Menu");
nameToggle(document.querySelector('label.md-header__button[for="__search"]'), "Search");
// The arrow beside a section's index page ("Guide"): its name also names the section's sub-menu
// (Material's aria-labelledby), so that is not a second landmark named like the main menu.
document.querySelectorAll(".md-nav__container > label.md-nav__link").forEach(function (label) {
  var title = document.querySelector('label.md-nav__title[for="' + label.htmlFor + '"]');
  if (title) nameToggle(label, title.textContent.trim() + " pages");
});
// The search panel (partials/site-search.html, on Material's toggle) and Material's phone menu
// stay open when Tab moves focus out of them, so
// focus lands on links hidden behind their overlays (WCAG 2.4.11 Focus Not Obscured). Close
// them when that happens, as Escape does.
document.addEventListener("focusin", function (event) {
  var target = event.target;
  if (!(target instanceof Element)) return;
  var search = document.getElementById("__search");
  if (search && search.checked && !target.closest(".md-search, label[for='__search']")) {
    search.click();
  }
  var drawer = document.getElementById("__drawer");
  if (drawer && drawer.checked && target.closest(".md-container") && !target.closest(".md-sidebar--primary")) {
    drawer.click();
  }
});

// On phones the magnifier opens the search panel without moving focus into it: move it to the field,
// so a keyboard (or screen reader) user can type straight away.
var searchToggle = document.getElementById("__search");
if (searchToggle) {
  searchToggle.addEventListener("change", function () {
    var input = document.querySelector(".md-search__input");
    if (searchToggle.checked && input && document.activeElement !== input) input.focus();
  });
}

// A "Search this site" button in a page (the 404 page, hidden without JavaScript): it opens
// the site search as the header's search toggle does.
document.querySelectorAll("button.lost-search__open").forEach(function (button) {
  var toggle = document.querySelector('label.md-header__button[for="__search"]');
  if (!toggle) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    toggle.click();
  });
});
