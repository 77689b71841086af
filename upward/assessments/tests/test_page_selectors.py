"""The reads behind the placement, delta and team pages."""

from __future__ import annotations

from upward.assessments import selectors, services
from upward.assessments.models import Source
from upward.assessments.services import Rating
from upward.frameworks import services as framework_services
from upward.frameworks.documents import validate_document
from upward.frameworks.models import VersionStatus
from upward.frameworks.tests.factories import small_document


def _publish(organization, by, **changes):
    document = validate_document(small_document() | changes)
    version = framework_services.create_version(document=document, organization=organization, by=by)
    return framework_services.publish_version(version=version, by=by)


def test_active_placements_are_each_persons_current_one_in_one_query(
    placement, alice, bob, acme, ladder, django_assert_num_queries
):
    services.place(user=bob, organization=acme, version=ladder, track="ic", current_level="l1")
    newer = services.place(
        user=bob, organization=acme, version=ladder, track="ic", current_level="l2"
    )
    with django_assert_num_queries(1):  # the active placements, with version and person
        found = selectors.active_placements([alice, bob], acme)
        assert found[alice.pk].user.email == alice.email
    assert found == {alice.pk: placement, bob.pk: newer}


def test_active_placements_leave_out_other_organizations_and_people_not_asked(
    placement, alice, bob, globex
):
    assert selectors.active_placements([alice], globex) == {}
    assert selectors.active_placements([bob], placement.organization) == {}


def test_placeable_versions_are_published_ones_of_the_library_and_the_organization(
    alice, ada, acme, eve, globex, ladder
):
    library = _publish(None, None, key="library-ladder", name="Library ladder")
    _publish(globex, eve, key="globex-ladder", name="Globex ladder")
    framework_services.start_draft(framework=ladder.framework, by=ada)
    found = selectors.placeable_versions(alice, acme)
    assert found == [ladder, library]  # the organization's first, then the library's
    assert all(v.status == VersionStatus.PUBLISHED for v in found)


def test_newer_version_is_the_published_one_once_the_placement_is_behind(placement, ada, ladder):
    assert selectors.newer_version(placement) is None
    framework_services.start_draft(framework=ladder.framework, by=ada)
    draft = ladder.framework.versions.get(status=VersionStatus.DRAFT)
    framework_services.publish_version(version=draft, by=ada)
    placement.version.refresh_from_db()
    newer = selectors.newer_version(placement)
    assert newer is not None
    assert (newer.number, newer.status) == (2, VersionStatus.PUBLISHED)


def test_latest_ratings_are_this_raters_last_word_per_competency(placement, bob):
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l1")])
    services.rate_self(placement=placement, ratings=[Rating("shipping", "l2")])
    services.rate_as_manager(placement=placement, manager=bob, ratings=[Rating("reviews", "l1")])
    own = selectors.latest_ratings(placement, rater=placement.user, source=Source.SELF)
    assert {k: s.step for k, s in own.items()} == {"shipping": "l2"}
    bobs = selectors.latest_ratings(placement, rater=bob, source=Source.MANAGER)
    assert {k: s.step for k, s in bobs.items()} == {"reviews": "l1"}
    assert selectors.latest_ratings(placement, rater=bob, source=Source.SELF) == {}
