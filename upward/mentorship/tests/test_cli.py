"""`upward mentor match`: the example file, both formats, and every bad input refused
with its file and line (exit 2, nothing printed on standard output)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest

from upward.mentorship.cli import add_commands

ROOT = Path(__file__).resolve().parents[3]
LIBRARY = ROOT / "upward" / "frameworks" / "library" / "software-engineering.yaml"
EXAMPLE = ROOT / "docs" / "examples" / "mentor-people.yaml"

# Levels without ranks (ranked by place), and a competency with its own scale.
MINI = """\
key: mini
name: Mini
areas: [{key: craft, name: Craft}]
competencies:
  - {key: code, name: Code, area: craft, kind: skill}
  - key: testing
    name: Testing
    area: craft
    kind: skill
    scale:
      - {key: aware, name: Aware}
      - {key: practising, name: Practising}
      - {key: leading, name: Leading}
tracks:
  - key: ic
    name: IC
    levels: [{key: one, title: One}, {key: two, title: Two}, {key: three, title: Three}]
expectations:
  - {competency: code, level: one, summary: Writes code.}
  - {competency: testing, level: one, step: aware, summary: Knows tests.}
  - {competency: testing, level: three, step: leading, summary: Leads testing.}
"""


def run(capsys, *argv: str) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="upward")
    add_commands(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["mentor", "match", *argv])
    code = args.func(args)
    out, err = capsys.readouterr()
    return code, out, err


def match(capsys, people: Path, framework: Path = LIBRARY, fmt: str = "json"):
    return run(capsys, "--framework", str(framework), "--people", str(people), "--format", fmt)


def people_file(tmp_path: Path, text: str, name: str = "people.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_example_file_gives_the_optimum_as_json(capsys):
    code, out, err = match(capsys, EXAMPLE)
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "pairs": [
            {"mentee": "priya", "mentor": "ines", "score": 3.0, "covers": ["system-design"]},
            {
                "mentee": "sofia",
                "mentor": "kwame",
                "score": 3.0,
                "covers": ["delivery", "ownership"],
            },
            {"mentee": "tomas", "mentor": "grace", "score": 3.0, "covers": ["reliability"]},
        ],
        "unmatched": [
            {"mentee": "lena", "reason": "the mentors who cover their gaps are full"},
            {"mentee": "omar", "reason": "no mentor covers any of their gaps"},
        ],
        "total": 9.0,
    }


def test_the_table_lists_pairs_then_the_unmatched_with_why(capsys):
    code, out, _ = match(capsys, EXAMPLE, fmt="table")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "3 pairs, total score 9.00"
    assert lines[2].split() == ["mentee", "mentor", "score", "covers"]
    assert lines[3].split() == ["priya", "ines", "3.00", "system-design"]
    assert lines[4].split() == ["sofia", "kwame", "3.00", "delivery,", "ownership"]
    assert "2 unmatched" in lines
    assert lines[-1].split()[0] == "omar"
    assert lines[-1].endswith("no mentor covers any of their gaps")


def test_a_json_people_file_is_read_too(capsys, tmp_path):
    data = {
        "mentees": [{"key": 1, "gaps": {"delivery": 2}, "needs": {"delivery": "ic3"}}],
        "mentors": [{"key": 2, "capacity": 1, "demonstrated": {"delivery": "em1"}}],
    }
    code, out, _ = match(capsys, people_file(tmp_path, json.dumps(data), "people.json"))
    assert code == 0
    assert json.loads(out)["pairs"] == [
        {"mentee": "1", "mentor": "2", "score": 2.0, "covers": ["delivery"]}
    ]


def test_levels_compare_by_rank_across_tracks(capsys, tmp_path):
    # EM1 has rank 5 in the built-in framework: it reaches IC5 but not IC6.
    text = """\
mentees:
  - {key: a, gaps: {delivery: 1}, needs: {delivery: ic5}}
  - {key: b, gaps: {delivery: 1}, needs: {delivery: ic6}}
mentors:
  - {key: m, capacity: 2, demonstrated: {delivery: em1}}
"""
    code, out, _ = match(capsys, people_file(tmp_path, text))
    assert code == 0
    assert [p["mentee"] for p in json.loads(out)["pairs"]] == ["a"]


def test_without_ranks_levels_compare_by_place_and_scales_by_step(capsys, tmp_path):
    framework = people_file(tmp_path, MINI, "mini.yaml")
    text = """\
mentees:
  - {key: a, gaps: {code: 2, testing: 1}, needs: {code: three, testing: practising}}
  - {key: b, gaps: {testing: 3}, needs: {testing: three}}
mentors:
  - {key: m, capacity: 1, demonstrated: {code: three, testing: practising}}
  - {key: n, capacity: 1, demonstrated: {code: two, testing: leading}}
"""
    code, out, _ = match(capsys, people_file(tmp_path, text), framework)
    assert code == 0
    # `three` names Testing's `leading` step (what level three expects of it).
    assert json.loads(out)["pairs"] == [
        {"mentee": "a", "mentor": "m", "score": 3.0, "covers": ["code", "testing"]},
        {"mentee": "b", "mentor": "n", "score": 3.0, "covers": ["testing"]},
    ]


BAD = [
    (
        "mentees:\n  - {key: a, gaps: {leadership: 2}, needs: {leadership: ic3}}\nmentors: []\n",
        [
            "people.yaml:2: mentees[0].gaps.leadership: unknown competency 'leadership'",
            "people.yaml:2: mentees[0].needs.leadership: unknown competency 'leadership'",
        ],
    ),
    (
        "mentees:\n  - key: a\n    gaps: {delivery: 2}\n    needs: {delivery: ic9}\nmentors: []\n",
        [
            "people.yaml:4: mentees[0].needs.delivery: 'ic9' is not a level of the framework"
            " (levels: ic1, ic2, ic3, ic4, ic5, ic6, ic7, ic8, em1, em2, em3, em4, em5, em6)",
        ],
    ),
    (
        "mentees:\n  - key: a\n    gaps: {delivery: 2}\n    needs: {ownership: ic2}\nmentors: []\n",
        ["people.yaml:3: mentees[0].gaps.delivery: has no step in `needs` to reach"],
    ),
    (
        "mentees: []\nmentors:\n  - key: m\n    capacity: -1\n",
        ["people.yaml:4: mentors[0].capacity: -1 is negative (a capacity is 0 or more)"],
    ),
    (
        "mentees: []\nmentors:\n  - {key: m, capacity: 1}\n  - {key: m, capacity: 2}\n",
        ["people.yaml:4: mentors[1].key: 'm' is the key of an earlier mentor"],
    ),
    (
        "mentees:\n  - {key: a}\n  - {key: a}\nmentors: []\n",
        ["people.yaml:3: mentees[1].key: 'a' is the key of an earlier mentee"],
    ),
    (
        "mentees:\n  - {key: a, avoid: [zed]}\nmentors:\n  - {key: m, capacity: 1}\n",
        ["people.yaml:2: mentees[0].avoid[0]: 'zed' is not the key of a mentor in the file"],
    ),
    (
        "mentees:\n  - key: a\n    gaps: {delivery: lots}\n    needs: {delivery: ic2}\n"
        "mentors:\n  - {key: m, capacity: two}\n",
        [
            "people.yaml:3: mentees[0].gaps.delivery: 'lots' is not a gap score (a number above 0)",
            "people.yaml:6: mentors[0].capacity: 'two' is not a whole number",
        ],
    ),
    (
        "mentees:\n  - {key: a, colour: blue, gaps: [delivery]}\nmentors: {}\n",
        [
            "people.yaml:2: mentees[0].colour: unknown field (use key, gaps, needs, avoid)",
            "people.yaml:2: mentees[0].gaps: is a mapping of competency to gap score",
            "people.yaml:3: mentors: is a list",
        ],
    ),
    (
        "mentees: []\nmentors:\n  - {key: m, capacity: 1.5, demonstrated: {delivery: {}}}\n",
        [
            "people.yaml:3: mentors[0].capacity: '1.5' is not a whole number",
            "people.yaml:3: mentors[0].demonstrated.delivery: '' is not a level of the"
            " framework (levels: ic1, ic2, ic3, ic4, ic5, ic6, ic7, ic8, em1, em2, em3, em4,"
            " em5, em6)",
        ],
    ),
    (
        "- a\n- b\n",
        ["people.yaml:1: a people file is a mapping with `mentees` and `mentors` lists"],
    ),
    ("mentors: []\n", ["people.yaml:1: mentees: is missing (a list)"]),
]


@pytest.mark.parametrize(("text", "errors"), BAD)
def test_bad_people_files_are_refused_with_file_and_line(
    capsys, tmp_path, monkeypatch, text, errors
):
    monkeypatch.chdir(tmp_path)
    people_file(tmp_path, text)
    code, out, err = match(capsys, Path("people.yaml"))
    assert (code, out) == (2, "")
    assert err.splitlines() == errors


def test_a_json_file_reports_lines_too(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    people_file(
        tmp_path, '{"mentees": [],\n "mentors": [\n  {"key": "m", "capacity": -3}]}\n', "p.json"
    )
    code, out, err = match(capsys, Path("p.json"))
    assert (code, out) == (2, "")
    assert err == "p.json:3: mentors[0].capacity: -3 is negative (a capacity is 0 or more)\n"


def test_a_yaml_syntax_error_names_its_line(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    people_file(tmp_path, "mentees: []\nmentors: [\n")
    code, out, err = match(capsys, Path("people.yaml"))
    assert (code, out) == (2, "")
    assert err.startswith("people.yaml:3: YAML syntax error")


def test_missing_files_and_bad_frameworks_exit_2(capsys, tmp_path):
    code, out, err = match(capsys, tmp_path / "nope.yaml")
    assert (code, out, err) == (2, "", f"error: no such file: {tmp_path / 'nope.yaml'}\n")
    broken = people_file(tmp_path, "key: broken\n", "fw.yaml")
    code, out, err = match(capsys, EXAMPLE, broken)
    assert (code, out) == (2, "")
    assert "fw.yaml" in err


def test_a_file_that_is_not_utf8_is_refused(capsys, tmp_path):
    path = tmp_path / "people.yaml"
    path.write_bytes(b"mentees: [\xff]\n")
    code, out, err = match(capsys, path)
    assert (code, out, err) == (2, "", f"error: {path} is not UTF-8 text\n")
