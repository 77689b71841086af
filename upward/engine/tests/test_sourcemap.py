from __future__ import annotations

import pytest

from upward.engine.issues import FrameworkError
from upward.engine.sourcemap import load_json, load_yaml


def test_yaml_values_remember_their_lines():
    data, smap, warnings = load_yaml("key: a\nlist:\n  - x: 1\n  - x: 2\n")
    assert data == {"key": "a", "list": [{"x": 1}, {"x": 2}]}
    assert smap.lines[("list", 1, "x")] == 4
    assert smap.line_for(("list", 1, "missing")) == 4
    assert warnings == []


def test_yaml_keys_keep_their_own_text():
    data, _, _ = load_yaml("1.10: a\nyes: b\n")
    assert data == {"1.10": "a", "yes": "b"}


def test_yaml_lines_can_start_after_front_matter():
    _, smap, _ = load_yaml("a: 1\nb: 2\n", first_line=5)
    assert smap.lines[("b",)] == 6


def test_a_tab_used_as_indentation_is_read_as_spaces_with_a_warning():
    data, _, warnings = load_yaml("a:\n  - x\n\t- y\n")
    assert data == {"a": ["x", "y"]}
    assert [str(w) for w in warnings] == ["line 3: warning: TAB in indentation, read as 2 spaces"]


def test_a_tab_matches_the_indentation_the_file_already_uses():
    data, _, warnings = load_yaml("a:\n    b: 1\n\tc: 2\n")
    assert data == {"a": {"b": 1, "c": 2}}
    assert warnings[0].message == "TAB in indentation, read as 4 spaces"


def test_a_tab_between_values_is_read_as_a_space():
    data, _, warnings = load_yaml("a:\tb\n")
    assert data == {"a": "b"}
    assert warnings[0].message == "TAB between values, read as a space"
    assert warnings[0].line == 1


def test_duplicate_yaml_keys_are_errors_with_their_line():
    with pytest.raises(FrameworkError) as caught:
        load_yaml("a: 1\nb: 2\na: 3\n")
    assert str(caught.value) == "line 3: a: duplicate key 'a'"


def test_broken_yaml_names_the_line():
    with pytest.raises(FrameworkError) as caught:
        load_yaml("a: [1, 2\nb: 3\n")
    [issue] = caught.value.issues
    assert issue.line == 2
    assert issue.message.startswith("YAML syntax error")


def test_an_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for n in range(1, 8):
        bomb += f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}" if n > 1 else "*a"] * 10) + "]\n"
    with pytest.raises(FrameworkError, match="values through aliases"):
        load_yaml(bomb)


def test_json_values_remember_their_lines():
    data, smap, warnings = load_json('{\n "a": [\n  1,\n  {"b": "c"}\n ]\n}')
    assert data == {"a": [1, {"b": "c"}]}
    assert smap.lines[("a", 1, "b")] == 4
    assert warnings == []


def test_json_trailing_commas_are_forgiven_with_a_warning():
    data, _, warnings = load_json('{"a": [1, 2,],\n}')
    assert data == {"a": [1, 2]}
    assert [w.message for w in warnings] == ["trailing comma ignored", "trailing comma ignored"]


def test_duplicate_json_keys_are_errors():
    with pytest.raises(FrameworkError) as caught:
        load_json('{"a": 1,\n "a": 2}')
    assert str(caught.value) == "line 2: a: duplicate key 'a'"


def test_truncated_json_says_so_with_the_line():
    with pytest.raises(FrameworkError) as caught:
        load_json('{"a": [1,\n 2,\n')
    assert str(caught.value) == (
        "line 3: JSON syntax error: expected a value: unexpected end of file"
        " (is the file truncated?)"
    )


def test_json_strings_decode_escapes():
    data, _, _ = load_json('{"a": "tab\\there \\u00e9"}')
    assert data == {"a": "tab\there é"}


def test_text_after_a_json_document_is_an_error():
    with pytest.raises(FrameworkError, match="unexpected text after the document"):
        load_json('{"a": 1} {"b": 2}')
