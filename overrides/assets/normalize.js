// The one rule for text people type differently from how it is written (issue 13, contract 5).
// The site search (search index at build, typed query in the browser) and the therapist finder
// compare text only after this rule; scripts/clinic_site/text_normalize.py is the same rule in
// Python, and tests/test_text_normalize.py checks both give the same output on hard strings.
//
//   1. Apostrophes and single quotes (’ ‘ ‚ ‛ ` ´ ′ ʼ ʹ) become "'"; double quotes
//      (“ ” „ ‟ « » ″ ‶) become '"'. Hyphens, dashes and minus signs (‐ ‑ ‒ – — ― ⁃ − ﹘ ﹣)
//      become "-". Done first, so step 2 does not split "´" into a space and an accent.
//   2. Unicode compatibility decomposition (NFKD): full-width letters (＇ too), ligatures ("ﬁ"),
//      no-break spaces become their plain forms and accented letters become letter + accent.
//   3. Lower case (Unicode's default mapping: "ÉCOLE" -> "école", "İ" -> "i" + dot above), and
//      Greek's final sigma "ς" made "σ" (lower-casing writes "ΟΔΟΣ" with "ς", and people type "σ").
//   4. Accents dropped: the combining diacritical marks (U+0300-036F, 1AB0-1AFF, 1DC0-1DFF,
//      20D0-20FF, FE20-FE2F), so "café" and "cafe" match. Marks that are letters' vowels in
//      other scripts (Devanagari, Arabic, ...) are kept: dropping those would change the word.
//   5. Soft hyphens and zero-width characters (U+00AD, 200B-200D, 2060, FEFF) are removed.
//   6. Recomposed (NFC), so other scripts (Korean, for one) read as written.
//   7. Every run of spaces, tabs and line breaks (the list below, not "\s", which differs between
//      JavaScript and Python) becomes one space; spaces at the start and end are removed.
//
// Loaded on every page through extra_javascript in mkdocs.yml, before a11y.js and finder.js.
(function () {
  "use strict";
  var MARKS = /[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g;
  var SINGLE_QUOTES = /[\u2018\u2019\u201a\u201b\u0060\u00b4\u2032\u02bc\u02b9]/g;
  var DOUBLE_QUOTES = /[\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u2036]/g;
  var DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63]/g;
  var FINAL_SIGMA = /\u03c2/g;
  var INVISIBLE = /[\u00ad\u200b\u200c\u200d\u2060\ufeff]/g;
  var SPACES = /[\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

  /**
   * Text as the site compares it: clinicNormalize("Don’t  STRETCH—Café") === "don't stretch-cafe".
   * @param {*} text any value; null and undefined give "", anything else is read as a string.
   * @returns {string}
   */
  function clinicNormalize(text) {
    if (text === null || text === undefined) return "";
    return String(text)
      .replace(SINGLE_QUOTES, "'")
      .replace(DOUBLE_QUOTES, '"')
      .replace(DASHES, "-")
      .normalize("NFKD")
      .toLowerCase()
      .replace(FINAL_SIGMA, "\u03c3")
      .replace(MARKS, "")
      .replace(INVISIBLE, "")
      .normalize("NFC")
      .replace(SPACES, " ")
      .trim();
  }

  window.clinicNormalize = clinicNormalize;
})();
