"""`upward roadmap check`: the specificity check from arguments, a file or standard input."""

from __future__ import annotations

import io
import json
import subprocess

import pytest

from tests.test_cli import clean_env, upward_command
from upward.cli import main

VAGUE = "read a book on leadership"
SPECIFIC = (
    "propose and lead a Q3 initiative with Product and Engineering to cut checkout latency in "
    "half, presenting the plan at the July leadership review"
)
KEYS = {"text", "score", "specific", "missing", "suggestions"}


def run_json(capsys, *args: str) -> tuple[int, list[dict]]:
    status = main(["roadmap", "check", *args, "--format", "json"])
    return status, json.loads(capsys.readouterr().out)


def test_json_has_one_object_per_text_in_order_with_exactly_the_five_keys(capsys):
    status, out = run_json(capsys, SPECIFIC, VAGUE)
    assert [item["text"] for item in out] == [SPECIFIC, VAGUE]
    assert all(set(item) == KEYS for item in out)
    assert out[0]["specific"] is True
    assert out[0]["missing"] == []
    assert out[1] == {
        "text": VAGUE,
        "score": 0,
        "specific": False,
        "missing": ["action", "outcome", "context"],
        "suggestions": out[1]["suggestions"],
    }
    assert "is an input, not an outcome" in out[1]["suggestions"][0]
    assert status == 0  # checked; the verdicts are in the output


def test_strict_exits_1_when_any_objective_is_vague_and_0_when_none_is(capsys):
    status, out = run_json(
        capsys, "--strict", SPECIFIC, "Ship the export for the finance team by Q2"
    )
    assert status == 0
    assert [item["specific"] for item in out] == [True, True]
    status, out = run_json(capsys, "--strict", SPECIFIC, VAGUE)
    assert status == 1
    assert [item["specific"] for item in out] == [True, False]


def test_a_file_gives_one_objective_per_line_skipping_blank_ones(tmp_path, capsys):
    path = tmp_path / "objectives.txt"
    path.write_text(f"{VAGUE}\n\n   \n{SPECIFIC}\r\nLearn SQL\n", encoding="utf-8")
    status, out = run_json(capsys, "--file", str(path))
    assert [item["text"] for item in out] == [VAGUE, SPECIFIC, "Learn SQL"]
    assert [item["specific"] for item in out] == [False, True, False]
    assert status == 0


def test_texts_come_before_the_lines_of_the_file(tmp_path, capsys):
    path = tmp_path / "objectives.txt"
    path.write_text(f"{VAGUE}\n", encoding="utf-8")
    _, out = run_json(capsys, SPECIFIC, "--file", str(path))
    assert [item["text"] for item in out] == [SPECIFIC, VAGUE]


def test_a_missing_file_is_named_and_exits_2(tmp_path, capsys):
    missing = tmp_path / "nope.txt"
    assert main(["roadmap", "check", "--file", str(missing)]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"error: {missing}: no such file\n"
    assert captured.out == ""


def test_a_folder_given_as_the_file_is_named(tmp_path, capsys):
    assert main(["roadmap", "check", "--file", str(tmp_path)]) == 2
    assert f"{tmp_path}: is a folder" in capsys.readouterr().err


def test_a_file_that_is_not_utf8_is_named_with_its_line(tmp_path, capsys):
    path = tmp_path / "latin1.txt"
    path.write_bytes(b"Ship the export by Q2\nLearn caf\xe9 ordering\n")
    assert main(["roadmap", "check", "--file", str(path)]) == 2
    assert f"{path}:2: not UTF-8 text" in capsys.readouterr().err


def test_a_file_of_blank_lines_is_a_usage_error(tmp_path, capsys):
    path = tmp_path / "blank.txt"
    path.write_text("\n  \n", encoding="utf-8")
    assert main(["roadmap", "check", "--file", str(path)]) == 2
    assert "no objectives to check" in capsys.readouterr().err


def test_without_texts_or_a_file_it_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{SPECIFIC}\n\n{VAGUE}\n"))
    status, out = run_json(capsys)
    assert [item["text"] for item in out] == [SPECIFIC, VAGUE]
    assert status == 0


def test_dash_as_the_file_reads_standard_input(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", io.StringIO(f"{SPECIFIC}\n"))
    status, out = run_json(capsys, "--file", "-")
    assert [item["text"] for item in out] == [SPECIFIC]
    assert status == 0


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_without_input_it_explains_usage_instead_of_waiting(monkeypatch, capsys):
    monkeypatch.setattr("sys.stdin", Terminal())
    assert main(["roadmap", "check"]) == 2
    err = capsys.readouterr().err
    assert "give objectives as TEXT arguments, with --file FILE, or on standard input" in err


def test_the_table_shows_each_verdict_score_and_next_step(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "400")  # one line per row, so cells can be read
    status = main(["roadmap", "check", SPECIFIC, "Learn [bold]Rust[/bold]"])
    out = capsys.readouterr().out
    assert status == 0
    assert "Objective specificity" in out
    assert "100" in out
    assert "yes" in out
    assert "no" in out
    rows = [line for line in out.splitlines() if line.startswith(("│ 1 ", "│ 2 "))]
    assert len(rows) == 2
    assert "│ 100 │ yes" in " ".join(rows[0].split())
    assert "Learn [bold]Rust[/bold]" in rows[1]  # brackets printed as typed
    assert "│ no │ needs an action you own; a deliverable" in " ".join(rows[1].split())
    assert "1 of 2 objective(s) specific." in out


def test_an_unknown_format_is_refused_by_the_parser(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["roadmap", "check", VAGUE, "--format", "xml"])
    assert exc.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_the_installed_command_reads_piped_lines_and_explains_itself(tmp_path):
    env = clean_env(UPWARD_DEBUG="1", UPWARD_DATA_DIR=str(tmp_path))
    command = [*upward_command(), "roadmap", "check"]
    result = subprocess.run(
        [*command, "--format", "json"],
        input=f"{VAGUE}\n{SPECIFIC}\n",
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    assert [item["specific"] for item in json.loads(result.stdout)] == [False, True]
    helped = subprocess.run(
        [*command, "--help"], capture_output=True, text=True, timeout=60, env=env
    )
    assert helped.returncode == 0
    assert helped.stdout.startswith("usage: upward roadmap check")
    assert "exit 1 when any objective is vague" in " ".join(helped.stdout.split())
