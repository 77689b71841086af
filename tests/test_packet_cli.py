"""`upward packet` on files: the documented example in every format, and every kind of
bad input (located errors, exit 1; usage mistakes, exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from upward.cli import main

DOCS = Path(__file__).resolve().parent.parent / "docs" / "examples"
FRAMEWORK = DOCS / "delta-framework.yaml"
SIGNALS = DOCS / "packet-signals.yaml"
EVIDENCE = DOCS / "packet-evidence.yaml"
LEVELS = ["--current", "ic3", "--target", "ic4", "--today", "2026-11-25"]


def run(capsys, *extra, framework=FRAMEWORK, signals=SIGNALS, evidence=EVIDENCE, levels=LEVELS):
    code = main(
        [
            "packet",
            "--framework",
            str(framework),
            "--signals",
            str(signals),
            "--evidence",
            str(evidence),
            *levels,
            *extra,
        ]
    )
    out = capsys.readouterr()
    return code, out.out, out.err


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_the_documented_example_gives_the_documented_table_in_json(capsys):
    code, out, err = run(capsys, "--format", "json", "--person", "Alice")
    assert (code, err) == (0, "")
    data = json.loads(out)
    got = {s["key"]: (s["operating"], s["demonstrated"], s["status"]) for s in data["sections"]}
    assert got == {
        "delivery": ("IC4", "IC4", "met"),
        "design": ("IC4", "IC3", "unconfirmed"),
        "influence": ("IC3", None, "gap"),
        "collaboration": ("IC4", "IC4", "met"),
        "mentoring": ("IC3", "IC3", "gap"),
        "operations": ("IC4", None, "unconfirmed"),
        "testing": (None, None, "unassessed"),
    }
    assert data["readiness"] == 0.375
    assert (data["person"], data["generated_on"]) == ("Alice", "2026-11-25")
    assert (data["current_level"], data["target_level"]) == ("IC3", "IC4")
    assert data["title"] == "Promotion packet: IC3 to IC4"
    assert data["framework"] == "Example Engineering Ladder"
    assert [m["key"] for m in data["missing"]] == [
        "design",
        "influence",
        "mentoring",
        "operations",
        "testing",
    ]


def test_the_json_proof_is_ordered_and_carries_its_confirmations(capsys):
    _code, out, _err = run(capsys, "--format", "json")
    sections = {s["key"]: s for s in json.loads(out)["sections"]}
    assert [p["key"] for p in sections["delivery"]["proof"]] == ["checkout", "search"]
    assert sections["delivery"]["proof"][0]["confirmed_by"] == [
        {"name": "Pat", "relation": "peer", "step": "IC4"}
    ]
    assert sections["design"]["proof"][0]["confirmed_by"] == [
        {"name": "Bob", "relation": "manager", "step": "IC3"}
    ]
    assert [p["key"] for p in sections["mentoring"]["proof"]] == ["reviews", "onboarding"]
    assert sections["operations"]["proof"][0]["confirmed"] is False
    assert sections["delivery"]["proof"][0]["metric_before"] == "800 ms"


def test_markdown_is_the_default_and_goes_to_standard_output(capsys):
    code, out, err = run(capsys, "--person", "Alice", "--title", "Alice to IC4")
    assert (code, err) == (0, "")
    assert out.startswith("# Alice to IC4\n")
    assert "- **Readiness:** 37.5% of the target level's required expectations" in out
    assert "1. [Delivery](#delivery): met" in out
    assert "**Confirmed by:** ✓ Pat (peer) at IC4" in out
    assert "- **Testing**: not assessed yet" in out


def test_output_writes_the_file_and_nothing_to_standard_output(capsys, tmp_path):
    target = tmp_path / "packet.md"
    code, out, _err = run(capsys, "--output", str(target))
    assert (code, out) == (0, "")
    assert target.read_text(encoding="utf-8").startswith("# Promotion packet: IC3 to IC4")


def test_pdf_needs_an_output_file(capsys):
    code, out, err = run(capsys, "--format", "pdf")
    assert (code, out) == (2, "")
    assert "pass --output FILE" in err


def test_an_output_that_cannot_be_written_is_named(capsys, tmp_path):
    code, _out, err = run(capsys, "--output", str(tmp_path / "no" / "such" / "packet.md"))
    assert code == 1
    assert "cannot write" in err


def test_html_and_pdf_render_the_same_packet(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("UPWARD_SECRET_KEY", "test-only")
    code, out, _err = run(capsys, "--format", "html", "--person", "Alice")
    assert code == 0
    assert out.lstrip().lower().startswith("<!doctype html>")
    assert "Led the checkout rewrite" in out
    pdf = tmp_path / "packet.pdf"
    code, out, _err = run(capsys, "--format", "pdf", "--output", str(pdf))
    assert (code, out) == (0, "")
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("signals.yaml", "competency: design\n", "a signals file is a list"),
        (
            "signals.yaml",
            "- {competency: design, step: ic3, source: boss, rater: Bob, date: 2026-01-01}\n",
            ":1: signals[0].source: 'boss' is not a source",
        ),
        (
            "signals.yaml",
            "- {competency: design, step: ic3, source: peer, confirmed_by: Bob, "
            "date: 2026-01-01}\n",
            ":1: signals[0].confirmed_by: only an evidence signal is confirmed",
        ),
        (
            "signals.yaml",
            "- {competency: design, step: ic3, source: peer, rater: Pat, date: 2026-01-01}\n"
            "- {competency: nope, step: ic3, source: peer, rater: Pat, date: 2026-01-01}\n",
            ":2: signals[1].competency: unknown competency 'nope'",
        ),
        (
            "signals.yaml",
            "- {competency: design, step: ic9, source: peer, rater: Pat, date: 2026-01-01}\n",
            ":1: signals[0].step: 'ic9' is not a step of 'design'",
        ),
    ],
)
def test_bad_signals_are_reported_with_their_file_and_line(capsys, tmp_path, name, text, expected):
    path = write(tmp_path, name, text)
    code, out, err = run(capsys, signals=path)
    assert (code, out) == (1, "")
    assert str(path) in err
    assert expected in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("key: a\n", ":1: an evidence file is a list"),
        (
            "- {key: a, title: T, date: 2026-09-10, competencies: {delivery: ic4}, tags: [x]}\n",
            ":1: evidence[0].tags: unknown field",
        ),
        ("- {key: a, date: 2026-09-10, competencies: {delivery: ic4}}\n", "title: is missing"),
        ("- {key: a, title: T, competencies: {delivery: ic4}}\n", "date: is missing"),
        ("- {key: a, title: T, date: 2026-09-10}\n", "competencies: is missing"),
        (
            "- {key: a, title: T, date: 2026-12-01, competencies: {delivery: ic4}}\n",
            ":1: evidence[0].date: 2026-12-01 is after today (2026-11-25)",
        ),
        (
            "- {key: a, title: T, date: 2026-09-10, competencies: {nope: ic4}}\n",
            ":1: evidence[0].competencies.nope: unknown competency 'nope'",
        ),
        (
            "- {key: a, title: T, date: 2026-09-10, competencies: {delivery: ic9}}\n",
            ":1: evidence[0].competencies.delivery: 'ic9' is not a step of 'delivery'",
        ),
        (
            "- {key: a, title: T, date: 2026-09-10, competencies: {delivery: ic4}}\n"
            "- {key: a, title: U, date: 2026-09-11, competencies: {delivery: ic4}}\n",
            ":2: evidence[1].key: 'a' is the key of an earlier entry",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations:\n"
            "    - {by: Bob, relation: manager, steps: {delivery: ic4}}\n"
            "    - {by: Bob, relation: manager, steps: {delivery: ic3}}\n",
            ":7: evidence[0].confirmations[1].by: Bob confirmed this entry already",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  confirmations:\n    - {by: Bob, relation: friend, steps: {delivery: ic4}}\n",
            ":6: evidence[0].confirmations[0].relation: 'friend' is not a relation",
        ),
        (
            "- key: a\n  title: T\n  date: 2026-09-10\n  competencies: {delivery: ic4}\n"
            "  links:\n    - {url: 'ftp://example.com/x'}\n",
            ":6: evidence[0].links[0].url: 'ftp://example.com/x' is not a web address",
        ),
    ],
)
def test_bad_evidence_is_reported_with_its_file_and_line(capsys, tmp_path, text, expected):
    path = write(tmp_path, "evidence.yaml", text)
    code, out, err = run(capsys, evidence=path)
    assert (code, out) == (1, "")
    assert f"{path}{expected}" in err or (str(path) in err and expected in err), err


def test_json_evidence_works_too(capsys, tmp_path):
    path = write(
        tmp_path,
        "evidence.json",
        json.dumps(
            [
                {
                    "key": "a",
                    "title": "Shipped it",
                    "date": "2026-10-01",
                    "competencies": {"testing": "ic4"},
                    "confirmations": [
                        {"by": "Pat", "relation": "peer", "steps": {"testing": "ic4"}}
                    ],
                }
            ]
        ),
    )
    code, out, _err = run(capsys, "--format", "json", evidence=path)
    assert code == 0
    testing = next(s for s in json.loads(out)["sections"] if s["key"] == "testing")
    assert (testing["status"], testing["demonstrated"]) == ("met", "IC4")


@pytest.mark.parametrize(
    ("levels", "expected"),
    [
        (["--current", "ic3", "--target", "ic9"], "no level 'ic9'"),
        (["--current", "ic4", "--target", "ic3"], "not above the current level"),
        (["--current", "ic3", "--target", "ic4", "--track", "mgmt"], "no track 'mgmt'"),
        (
            ["--current", "ic3", "--target", "ic4", "--target-track", "mgmt"],
            "no track 'mgmt'",
        ),
    ],
)
def test_bad_levels_and_tracks_are_refused(capsys, levels, expected):
    code, out, err = run(capsys, levels=[*levels, "--today", "2026-11-25"])
    assert (code, out) == (1, "")
    assert expected in err


@pytest.mark.parametrize("which", ["framework", "signals", "evidence"])
def test_a_missing_file_is_named(capsys, tmp_path, which):
    missing = tmp_path / "nope.yaml"
    code, _out, err = run(capsys, **{which: missing})
    assert code == 1
    assert f"no such file: {missing}" in err


def test_a_file_that_is_not_text_is_refused(capsys, tmp_path):
    path = tmp_path / "evidence.yaml"
    path.write_bytes(b"\xff\xfe\x00bad")
    code, _out, err = run(capsys, evidence=path)
    assert code == 1
    assert "is not UTF-8 text" in err


def test_a_bad_framework_is_reported_with_its_line(capsys, tmp_path):
    path = write(tmp_path, "framework.yaml", "key: x\nname: X\ncompetencies: 3\n")
    code, _out, err = run(capsys, framework=path)
    assert code == 1
    assert str(path) in err


def test_a_framework_with_several_tracks_needs_track(capsys, tmp_path):
    text = FRAMEWORK.read_text().replace(
        "tracks:\n",
        "tracks:\n- key: mgmt\n  name: Management\n"
        "  levels:\n  - {key: m1, title: Manager, rank: 4}\n",
        1,
    )
    code, _out, err = run(capsys, framework=write(tmp_path, "two.yaml", text))
    assert code == 1
    assert "pass --track" in err


def test_a_bad_date_option_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as caught:
        run(capsys, levels=["--current", "ic3", "--target", "ic4", "--today", "25/11/2026"])
    assert caught.value.code == 2


def test_the_evidence_example_as_one_signals_file_gives_the_same_delta(capsys):
    code = main(
        [
            "delta",
            "--framework",
            str(FRAMEWORK),
            "--signals",
            str(DOCS / "evidence-signals.yaml"),
            "--format",
            "json",
            *LEVELS,
        ]
    )
    delta = json.loads(capsys.readouterr().out)
    _code, out, _err = run(capsys, "--format", "json")
    packet = json.loads(out)
    assert code == 0
    assert {k: v["status"] for k, v in delta["competencies"].items()} == {
        s["key"]: s["status"] for s in packet["sections"]
    }
    assert delta["readiness"] == packet["readiness"] == 0.375
