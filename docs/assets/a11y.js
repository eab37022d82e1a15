// Keyboard fixes on top of Material (tests/test_keyboard.py). Material leaves its search panel
// and phone menu open when Tab moves focus out of them, so focus lands on links hidden behind
// their overlays (WCAG 2.4.11 Focus Not Obscured). Close them when that happens, as Escape does.
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

// On phones Material opens the search panel without moving focus into it: move it to the field,
// so a keyboard (or screen reader) user can type straight away.
var searchToggle = document.getElementById("__search");
if (searchToggle) {
  searchToggle.addEventListener("change", function () {
    var input = document.querySelector(".md-search__input");
    if (searchToggle.checked && input && document.activeElement !== input) input.focus();
  });
}
