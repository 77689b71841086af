"""A level key as the step of a competency with its own scale, in `upward delta` and the API."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from upward.assessments import services
from upward.assessments.models import Signal
from upward.cli import main
from upward.engine.formats import read_any
from upward.engine.tests.conftest import FIXTURES
from upward.frameworks import services as framework_services
from upward.frameworks.documents import validate_document

ORBIT = FIXTURES / "orbit.yaml"


def delta(capsys, tmp_path: Path, signals: str) -> tuple[int, str, str]:
    path = tmp_path / "signals.yaml"
    path.write_text(signals)
    args = ["--framework", str(ORBIT), "--track", "ic", "--current", "ic1", "--target", "ic2"]
    code = main(
        ["delta", *args, "--signals", str(path), "--today", "2026-11-25", "--format", "json"]
    )
    out = capsys.readouterr()
    return code, out.out, out.err


def test_the_delta_cli_reads_a_level_key_as_the_step_it_expects(capsys, tmp_path):
    code, out, err = delta(
        capsys,
        tmp_path,
        "- {competency: calibration, step: ic2, source: manager, rater: bob, date: 2026-10-01}\n",
    )
    assert code == 0, err
    row = json.loads(out)["competencies"]["calibration"]
    assert (row["operating"], row["expected"], row["status"]) == (
        "practising",
        "practising",
        "unconfirmed",
    )


def test_the_delta_cli_still_refuses_a_key_that_is_no_level_nor_step(capsys, tmp_path):
    code, _out, err = delta(
        capsys,
        tmp_path,
        "- {competency: calibration, step: ic9, source: manager, rater: bob, date: 2026-10-01}\n",
    )
    assert code == 1
    assert "signals.yaml:1:" in err
    assert "'ic9' is not a step of 'calibration'" in err


@pytest.fixture
def orbit_placement(alice, acme, ada):
    document = read_any(ORBIT.read_bytes(), "orbit.yaml").framework
    version = framework_services.create_version(
        document=validate_document(document.to_dict()), organization=acme, by=ada
    )
    framework_services.publish_version(version=version, by=ada)
    return services.place(
        user=alice, organization=acme, version=version, track="ic", current_level="ic1"
    )


def rate(user, placement, ratings) -> Any:
    client = Client()
    client.force_login(user)
    return client.post(
        f"/api/v1/placements/{placement.pk}/ratings",
        json.dumps({"ratings": ratings}),
        content_type="application/json",
    )


def test_the_ratings_api_stores_a_level_key_as_the_step_it_expects(alice, orbit_placement):
    response = rate(
        alice, orbit_placement, [{"competency": "calibration", "step": "ic1", "sometimes": "ic3"}]
    )
    assert response.status_code == 201, response.content
    signal = Signal.objects.get()
    assert (signal.step, signal.sometimes_step) == ("aware", "leading")


def test_the_ratings_api_refuses_a_level_key_read_below_the_consistent_step(alice, orbit_placement):
    response = rate(
        alice, orbit_placement, [{"competency": "calibration", "step": "ic2", "sometimes": "ic1"}]
    )
    assert response.status_code == 422
    assert response.json()["error"]["fields"][0]["path"] == "body.ratings.0.sometimes"
    assert not Signal.objects.exists()


def test_the_ratings_api_still_names_an_unknown_step(alice, orbit_placement):
    response = rate(alice, orbit_placement, [{"competency": "calibration", "step": "ic9"}])
    assert response.status_code == 422
    assert "'ic9' is not a step of 'calibration'" in response.json()["error"]["message"]
    assert not Signal.objects.exists()
