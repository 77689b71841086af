"""`upward delta` on files: the documented example, and every kind of bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from upward.cli import main

DOCS = Path(__file__).resolve().parents[3] / "docs" / "examples"
ARGS = ["--current", "ic3", "--target", "ic4", "--today", "2026-11-25"]


def run(
    capsys, *extra, framework=DOCS / "delta-framework.yaml", signals=DOCS / "delta-signals.yaml"
):
    code = main(["delta", "--framework", str(framework), "--signals", str(signals), *ARGS, *extra])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_documented_example_gives_the_documented_table(capsys):
    code, out, _err = run(capsys, "--format", "json")
    assert code == 0
    data = json.loads(out)
    got = {
        k: (v["operating"], v["demonstrated"], v["gap"], v["status"])
        for k, v in data["competencies"].items()
    }
    assert got == {
        "delivery": ("ic4", "ic4", 0, "met"),
        "design": ("ic3", "ic3", 1, "gap"),
        "influence": ("ic2", "ic2", 2, "gap"),
        "collaboration": ("ic3", "ic3", 1, "gap"),
        "mentoring": ("ic5", None, 0, "unconfirmed"),
        "operations": (None, None, 0, "unassessed"),
        "testing": ("ic3", None, 1, "gap"),
    }
    assert data["top_gaps"] == ["influence", "collaboration", "testing"]
    assert data["readiness"] == 0.125
    assert all(v["expected"] == "ic4" for v in data["competencies"].values())


def test_the_table_format_lists_top_gaps_and_readiness(capsys):
    code, out, _err = run(capsys)
    assert code == 0
    assert "top gaps: influence, collaboration, testing" in out
    assert "readiness: 12.5%" in out


def _signals(tmp_path, text):
    path = tmp_path / "signals.yaml"
    path.write_text(text)
    return path


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        (
            "- {competency: design, step: ic3, source: boss, rater: bob, date: 2026-01-01}\n",
            1,
            "'boss' is not a source",
        ),
        (
            "- {competency: design, step: ic3, source: peer, rater: pat, date: 2026-01-01}\n"
            "- {competency: design, step: ic3, source: peer, rater: pat, date: 01/02/2026}\n",
            2,
            "not a date",
        ),
        (
            "- {competency: design, step: ic3, source: peer, date: 2026-01-01}\n",
            1,
            "rater: is missing",
        ),
        (
            "- {competency: nope, step: ic3, source: peer, rater: pat, date: 2026-01-01}\n",
            1,
            "unknown competency 'nope'",
        ),
        (
            "- {competency: design, step: ic9, source: peer, rater: pat, date: 2026-01-01}\n",
            1,
            "'ic9' is not a step",
        ),
    ],
)
def test_bad_signals_are_reported_with_their_line(capsys, tmp_path, text, line, fragment):
    path = _signals(tmp_path, text)
    code, out, err = run(capsys, signals=path)
    assert code == 1
    assert out == ""
    assert f"{path}:{line}:" in err
    assert fragment in err


def test_a_signals_file_that_is_not_a_list_is_refused(capsys, tmp_path):
    code, _out, err = run(capsys, signals=_signals(tmp_path, "competency: design\n"))
    assert code == 1
    assert "a signals file is a list" in err


def test_json_signals_work_too(capsys, tmp_path):
    path = tmp_path / "signals.json"
    path.write_text(
        json.dumps(
            [
                {
                    "competency": "design",
                    "step": "ic4",
                    "source": "manager",
                    "rater": "bob",
                    "date": "2026-11-01",
                }
            ]
        )
    )
    code, out, _err = run(capsys, "--format", "json", signals=path)
    assert code == 0
    assert json.loads(out)["competencies"]["design"]["operating"] == "ic4"


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        (["--track", "mgmt"], "no track 'mgmt'"),
        (["--current", "ic4", "--target", "ic3"], "not above the current level"),
        (["--target", "ic9"], "no level 'ic9'"),
    ],
)
def test_bad_levels_and_tracks_are_refused(capsys, extra, fragment):
    code, _out, err = run(capsys, *extra)
    assert code == 1
    assert fragment in err


def test_a_framework_with_several_tracks_needs_track(capsys, tmp_path):
    text = (
        (DOCS / "delta-framework.yaml")
        .read_text()
        .replace(
            "tracks:\n",
            "tracks:\n- key: mgmt\n  name: Management\n"
            "  levels:\n  - {key: m1, title: Manager, rank: 4}\n",
            1,
        )
    )
    framework = tmp_path / "two.yaml"
    framework.write_text(text)
    code, _out, err = run(capsys, framework=framework)
    assert code == 1
    assert "pass --track" in err


def test_a_missing_file_is_named(capsys, tmp_path):
    code, _out, err = run(capsys, framework=tmp_path / "nope.yaml")
    assert code == 1
    assert "no such file" in err
