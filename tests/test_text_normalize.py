"""The one text rule (contract 5): overrides/assets/normalize.js and its Python twin
scripts/clinic_site/text_normalize.py give the same output, and the output is what the rule says."""
from clinic_site.text_normalize import normalize
from tests.harness import PROJECT_ROOT

NORMALIZE_JS = PROJECT_ROOT / "overrides" / "assets" / "normalize.js"

# (typed or written, as the site compares it)
EXPECTED = [
    ("don’t", "don't"),                          # phone keyboards' curly apostrophe
    ("don't", "don't"),
    ("O’Brien", "o'brien"),
    ("O\u02bcBrien", "o'brien"),                 # modifier letter apostrophe
    ("`quoted´", "'quoted'"),
    ("“post-op” care", '"post-op" care'),
    ("„Wien“ «Paris»", '"wien" "paris"'),
    ("post‐op", "post-op"),                      # U+2010 hyphen
    ("post‑op", "post-op"),                      # U+2011 non-breaking hyphen
    ("post–op post—op post−op", "post-op post-op post-op"),
    ("post\u00adop", "postop"),                  # soft hyphen
    ("zero\u200bwidth\ufeff", "zerowidth"),
    ("Café CAFÉ cafe\u0301", "cafe cafe cafe"),  # composed, capitals, decomposed
    ("Crème brûlée, naïve, Ångström", "creme brulee, naive, angstrom"),
    ("İstanbul", "istanbul"),                     # capital I with dot above
    ("STRASSE Straße", "strasse straße"),
    ("ＰＯＳＴ－ＯＰ", "post-op"),                  # full-width forms
    ("ﬁnd ﬂexion", "find flexion"),              # ligatures
    ("  two\u00a0\u00a0spaces\tand\nlines\u2028  ", "two spaces and lines"),
    ("ΟΔΟΣ οδος οδοσ", "οδοσ οδοσ οδοσ"),         # Greek: the final sigma lower-casing writes is "σ" typed
    ("한국어 치료", "한국어 치료"),                   # Korean: decomposed and recomposed unchanged
    ("फ़िज़ियोथेरेपी", "फ़िज़ियोथेरेपी"),                    # Devanagari vowel signs and nukta kept
    ("½ hour, 2²", "1⁄2 hour, 22"),
    ("", ""),
]


def test_python_rule_gives_the_expected_text():
    assert [normalize(text) for text, _ in EXPECTED] == [want for _, want in EXPECTED]
    assert normalize(None) == ""


def test_javascript_and_python_give_the_same_text(browser):
    """The browser's clinicNormalize, loaded from the site's own file, on the same table (a blank
    page of its own: this needs no site build)."""
    page = browser.new_page()
    page.add_script_tag(path=str(NORMALIZE_JS))
    texts = [text for text, _ in EXPECTED]
    in_browser = page.evaluate("texts => texts.map(t => window.clinicNormalize(t))", texts)
    assert in_browser == [normalize(text) for text in texts]
    assert page.evaluate("[window.clinicNormalize(null), window.clinicNormalize(undefined)]") == ["", ""]
    page.close()

