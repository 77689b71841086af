"""The insight selectors cost the same queries for 3 people as for 30, and fewer once
the organization's cube is kept."""

from __future__ import annotations

import importlib

import pytest

from upward.accounts.models import Organization, Role, User
from upward.accounts.tests.factories import TeamFactory
from upward.assessments.models import Source
from upward.frameworks.tests.factories import FrameworkVersionFactory
from upward.insights import selectors
from upward.insights.access import access_insights
from upward.insights.tests.cube_data import person, rating, standing

SIZES = [3, 30]


def build(acme: Organization, ada: User, size: int) -> None:
    """`size` people on two teams (every third on none), all ready, each rated on both
    competencies by two named raters."""
    acme.anonymity_threshold = 3
    acme.save(update_fields=["anonymity_threshold"])
    version = FrameworkVersionFactory.create(organization=acme, created_by=ada)
    lead = person(acme, "Lead", role=Role.MANAGER)
    teams = [TeamFactory.create(organization=acme, name=n, manager=lead) for n in ("One", "Two")]
    raters = [person(acme, f"Rater {i}") for i in range(2)]
    for i in range(size):
        on = [] if i % 3 == 2 else [teams[i % 2]]
        user = person(acme, f"Person {i}", teams=on)
        standing(user, version, operating=(i % 3, 1), demonstrated=(0, 1), readiness=0.9)
        for competency in ("shipping", "reviews"):
            for j, rater in enumerate(raters):
                step = ("l1", "l2", "l3")[(i + j) % 3]
                rating(user, version, rater, competency, step, source=Source.PEER)


@pytest.mark.parametrize("size", SIZES)
def test_heatmap_queries(acme, ada, size, django_assert_num_queries) -> None:
    build(acme, ada, size)
    scope = access_insights(ada, acme)
    # The stamp; the versions in use, the standings, the team memberships; the teams' names.
    with django_assert_num_queries(5):
        view = selectors.heatmap(scope, selectors.Filters())
    assert sum(r.people for r in view.rows) == size
    # Kept: the stamp, the teams' names.
    with django_assert_num_queries(2):
        selectors.heatmap(scope, selectors.Filters(by="level"))


@pytest.mark.parametrize("size", SIZES)
def test_filters_queries(acme, ada, size, django_assert_num_queries) -> None:
    build(acme, ada, size)
    scope = access_insights(ada, acme)
    # The stamp; the versions in use, the standings, the team memberships.
    with django_assert_num_queries(4):
        selectors.parse_filters(scope, {"track": "ic", "level": "l1"})
    with django_assert_num_queries(1):  # the stamp
        filters = selectors.parse_filters(scope, {"track": "ic", "level": "l1"})
    # The selectors use the cube the filters were checked against: no stamp again.
    assert filters.cube is not None
    with django_assert_num_queries(1):  # the teams' names
        view = selectors.heatmap(scope, filters)
    block = selectors.block_for(filters.cube, scope, None)
    assert block is not None
    assert sum(r.people for r in view.rows) == len(selectors.people_of(block, scope, filters))


@pytest.mark.parametrize("size", SIZES)
def test_pipeline_queries(acme, ada, size, django_assert_num_queries) -> None:
    build(acme, ada, size)
    scope = access_insights(ada, acme)
    # The stamp; the versions, standings and team memberships; the settings; the teams'
    # names; the ready people.
    with django_assert_num_queries(7):
        view = selectors.pipeline(scope, selectors.Filters())
    assert len(view.ready) == size
    with django_assert_num_queries(4):  # kept: the stamp, settings, names, ready people
        selectors.pipeline(scope, selectors.Filters())


@pytest.mark.parametrize("size", SIZES)
def test_calibration_queries(acme, ada, size, django_assert_num_queries) -> None:
    build(acme, ada, size)
    scope = access_insights(ada, acme)
    # The stamp; the versions, standings and team memberships; the settings; the ratings;
    # the raters' names.
    with django_assert_num_queries(7):
        view = selectors.calibration(scope, selectors.Filters())
    assert view.competencies[0].agreement.subjects == size
    assert view.raters is not None
    assert len(view.raters) == 2
    with django_assert_num_queries(2):  # kept: the stamp, settings (the figures kept too)
        selectors.calibration(scope, selectors.Filters())


@pytest.mark.parametrize("size", SIZES)
def test_a_managers_pages_cost_the_same(acme, ada, size, django_assert_num_queries) -> None:
    build(acme, ada, size)
    lead = User.objects.get(name="Lead")
    scope = access_insights(lead, acme)
    selectors.heatmap(scope, selectors.Filters())  # the cube is read once
    selectors.calibration(scope, selectors.Filters())  # and the ratings
    with django_assert_num_queries(2):  # the stamp, the teams' names
        selectors.heatmap(scope, selectors.Filters())
    with django_assert_num_queries(4):  # the stamp, settings, names, the ready reports
        selectors.pipeline(scope, selectors.Filters())
    with django_assert_num_queries(2):  # the stamp, settings (ratings kept; no leniency)
        selectors.calibration(scope, selectors.Filters())


@pytest.mark.parametrize("size", SIZES)
def test_access_queries(acme, ada, size, django_assert_num_queries) -> None:
    build(acme, ada, size)
    with django_assert_num_queries(2):  # the role, the teams
        access_insights(ada, acme)
    lead = User.objects.get(name="Lead")
    with django_assert_num_queries(3):  # the role, the teams led, the reports
        access_insights(lead, acme)


def test_the_page_lists_the_farthest_raters_and_the_export_every_one(
    acme, ada, monkeypatch
) -> None:
    module = importlib.import_module("upward.insights.selectors.calibration")
    build(acme, ada, 3)
    scope = access_insights(ada, acme)
    every = selectors.calibration(scope, selectors.Filters(), every_rater=True)
    assert every.raters is not None
    assert (len(every.raters), every.raters_total) == (2, 2)
    monkeypatch.setattr(module, "RATERS_LISTED", 1)
    listed = selectors.calibration(scope, selectors.Filters())
    assert listed.raters == every.raters[:1]
    assert listed.raters_total == 2
