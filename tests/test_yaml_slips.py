"""Every slip in a staff YAML file named in one run, each at its own line: the slips found
before YAML that is not well formed are named with it (not dropped), a control character written
as itself is named as one (not as "a tab", nor at line 1), and an invisible character in a value
of several lines is named on the line it is written on (clinic_site.yaml_loaders, yaml_errors)."""
from __future__ import annotations

import pytest

from clinic_site import yamlfile
from tests.test_staff_yaml import READERS

STAFF = [kind for kind in READERS if kind != "mkdocs.yml"]


@pytest.mark.parametrize("kind", STAFF)
@pytest.mark.parametrize("broken", ["tab", "bracket", "undefined alias"])
def test_slips_above_yaml_that_is_not_well_formed_are_named_with_it(tmp_path, kind, broken):
    """A tag (line 1) and a name given twice (line 3) above a tab, a bracket never closed or an
    alias of nothing (line 5): three problems, in the file's order, in every kind of file."""
    reader, shown = READERS[kind]
    last = {"tab": "e:\n\t- 1\n", "bracket": "e: [1, 2\nf: 3\n", "undefined alias": "e: *nothing\n"}[broken]
    text = "a: !!binary eA==\nb: 1\nb: 2\nc: 3\n" + last
    offset = 1 if kind == "front matter" else 0
    mine = [problem for problem in reader(tmp_path, text) if problem.path == shown]
    assert [problem.line - offset for problem in mine][:2] == [1, 3], mine
    assert "tag" in mine[0].what and "given twice" in mine[1].what, mine
    assert len(mine) == 3 and mine[2].line - offset >= 5, mine


@pytest.mark.parametrize("kind", STAFF)
def test_a_control_character_written_as_itself_is_named_at_its_line(tmp_path, kind):
    """YAML refuses a raw control character (a terminal's escape, a bell) before reading the
    value: it is named as the invisible character it is, at its own line, never as "a tab
    character" at line 1 ("unacceptable" holds "tab")."""
    reader, shown = READERS[kind]
    offset = 1 if kind == "front matter" else 0
    mine = [problem for problem in reader(tmp_path, "a: 1\nb: 2\nc: x\x1by\n") if problem.path == shown]
    assert [(problem.line - offset, "\\u001b" in problem.what) for problem in mine] == [(3, True)], mine
    assert "tab" not in mine[0].what


@pytest.mark.parametrize("text, line", [
    ("t: |\n  one\n  two\n  three \u202e x\nu: 1\n", 4),       # a literal block
    ("t: one\n  two \u202e\n  three\n", 2),                      # a plain value folded over lines
    ('t: "one\r\n  two \u202e"\r\n', 2),                         # quoted, saved on Windows
    ('t: "one\n  two \\u202e"\n', 1),                            # an escape: where the value starts
])
def test_an_invisible_character_in_a_value_of_several_lines_is_named_on_its_line(text, line):
    problems = yamlfile.load_text(text, "f.yml")[1]
    assert [(problem.line, problem.field) for problem in problems] == [(line, "t")], problems


def test_a_name_given_twice_in_one_flow_mapping_says_one_line():
    problems = yamlfile.load_text("m: {a: 1, a: 2}\n", "f.yml")[1]
    assert [(problem.line, problem.what) for problem in problems] == [(1, "is given twice on line 1")]


def test_the_libyaml_and_pure_readers_name_the_same_slips():
    """What the fast reader refuses is read again by the pure one: the problems are the pure
    reader's, whichever loader a caller names."""
    text = "a: !!binary eA==\nb: 1\nb: 2\nc: x\x1b\n"
    fast = yamlfile.load_text(text, "f.yml", yamlfile.FastStaffLoader)[1]
    pure = yamlfile.load_text(text, "f.yml", yamlfile.StaffLoader)[1]
    assert fast == pure and len(pure) == 1 and pure[0].line == 4, pure   # the raw character stops the reader


def test_a_bracket_never_closed_is_named_where_it_opens(tmp_path):
    """YAML finds a bracket left open only at the end of the file (or of the front matter): the
    line named is the bracket's, as the fix says ("close the [ on the same line")."""
    for kind, text, line in [("clinic.yml", "a: 1\nb: [1, 2\nc: 3\nd: 4\n", 2),
                             ("front matter", "a: 1\nb: [1, 2\n", 3)]:
        reader, shown = READERS[kind]
        folder = tmp_path / kind.replace(" ", "-")
        folder.mkdir()
        [problem] = [problem for problem in reader(folder, text) if problem.path == shown]
        assert problem.line == line and ("never closed" in problem.what or "not valid YAML" in problem.what), problem


@pytest.mark.parametrize("kind", STAFF)
@pytest.mark.parametrize("unseen", ["\u2028", "\u2029", "\x85"])
def test_a_line_break_editors_do_not_show_is_refused_at_its_line(tmp_path, kind, unseen):
    """YAML 1.1 reads NEL, U+2028 and U+2029 (pasted from a web page) as new lines, where editors,
    GitHub and Zensical's YAML 1.2 show none: `# note<U+2028>c: 2` was read as a setting `c` that
    staff see as part of a comment, and every line number after it was one off."""
    reader, shown = READERS[kind]
    offset = 1 if kind == "front matter" else 0
    mine = [problem for problem in reader(tmp_path, f"a: 1\r\nb: x   # note{unseen}c: 2\nd: 3\n")
            if problem.path == shown]
    assert [(problem.line - offset, f"\\u{ord(unseen):04x}" in problem.what) for problem in mine] == [(2, True)], mine


def test_a_setting_hidden_after_an_unseen_line_break_never_reaches_the_data():
    text = "name: Riverbend   # shown to all\u2028sample: false\n"
    data, problems = yamlfile.load_text(text, "clinic.yml")
    assert data is None and [problem.line for problem in problems] == [1]


@pytest.mark.parametrize("kind", STAFF)
def test_a_number_too_long_for_python_is_named_at_its_line_with_the_slips_around_it(tmp_path, kind):
    """A number of thousands of digits (a paste gone wrong) made Python's int() stop, and the run
    said "cannot be read (ValueError: ...)" at line 1 with no field, hiding the other slips."""
    reader, shown = READERS[kind]
    offset = 1 if kind == "front matter" else 0
    text = "a: !!binary eA==\nb: " + "1" * 5000 + "\nc: '" + "1" * 5000 + "'\n"
    mine = [problem for problem in reader(tmp_path, text) if problem.path == shown]
    assert [(problem.line - offset, problem.field) for problem in mine] == [(1, "a"), (2, "b")], mine
    assert mine[1].what == "is a number of 5000 digits"


@pytest.mark.parametrize("kind", STAFF)
def test_a_byte_order_mark_inside_a_file_is_named_at_its_name(tmp_path, kind):
    """A byte-order mark pasted inside a file (two files made one) made `<U+FEFF>city:` a name other
    than `city`: "'city' is missing" named a line staff see holding it, and an optional name
    (`sample: true`) was left out without a word. The marks some editors repeat at a file's
    start are read as one."""
    reader, shown = READERS[kind]
    offset = 1 if kind == "front matter" else 0
    mine = [problem for problem in reader(tmp_path, "a: 1\n\ufeffcity: x\n") if problem.path == shown]
    assert [(problem.line - offset, problem.field, "\\ufeff" in problem.what) for problem in mine] == \
        [(2, "city", True)], mine


def test_byte_order_marks_repeated_at_the_start_of_a_file_are_read_as_one(tmp_path):
    (tmp_path / "f.yml").write_bytes(b"\xef\xbb\xbf\xef\xbb\xbfcity: x\n")
    assert yamlfile.load_file(tmp_path / "f.yml", "f.yml")[0::2] == ({"city": "x"}, [])


@pytest.mark.parametrize("kind", STAFF)
@pytest.mark.parametrize("opening, curly, straight", [("'", "\u2019", "'"), ('"', "\u201d", '"')])
def test_a_quote_closed_with_a_curly_one_says_so(tmp_path, kind, opening, curly, straight):
    """A value opened with a straight quote and closed with the curly one a phone or word processor
    types: YAML reads no end to it. The fix names the curly quote and the straight one to type."""
    reader, shown = READERS[kind]
    offset = 1 if kind == "front matter" else 0
    text = f"a: 1\nemail: {opening}frontdesk@example.org{curly}  # optional\nc: 3\n"
    [problem] = [problem for problem in reader(tmp_path, text) if problem.path == shown]
    assert problem.line - offset == 2 and problem.what == "has a quote that is never closed", problem
    assert f"curly quote {curly}" in problem.fix and f"a straight {straight} in its place" in problem.fix


def test_a_quote_left_open_without_a_curly_one_keeps_the_plain_fix():
    [problem] = yamlfile.load_text("a: 1\nb: 'open\nc: 3\n", "clinic.yml")[1]
    assert (problem.line, problem.fix) == (2, "close the quote at the end of the value")
