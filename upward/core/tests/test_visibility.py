"""Who may see an item of each tier: every relationship x tier."""

from __future__ import annotations

import pytest

from upward.core.visibility import Relationship, Tier, may_see, may_see_any

R, T = Relationship, Tier

# Rows: who looks. Columns: PRIVATE, MENTORS, MANAGER, ORGANIZATION, PUBLIC.
TABLE = {
    R.SELF: (1, 1, 1, 1, 1),
    R.MENTOR: (0, 1, 1, 1, 1),
    R.MANAGER: (0, 0, 1, 1, 1),
    R.SAME_ORGANIZATION: (0, 0, 0, 1, 1),
    R.OUTSIDER: (0, 0, 0, 0, 1),
}
TIERS = (T.PRIVATE, T.MENTORS, T.MANAGER, T.ORGANIZATION, T.PUBLIC)


@pytest.mark.parametrize(
    ("relationship", "tier", "expected"),
    [(r, t, bool(row[i])) for r, row in TABLE.items() for i, t in enumerate(TIERS)],
)
def test_who_sees_what(relationship, tier, expected):
    assert may_see(relationship, tier) is expected


def test_the_table_covers_every_relationship_and_tier():
    assert set(TABLE) == set(Relationship)
    assert set(TIERS) == set(Tier)


@pytest.mark.parametrize("tier", list(Tier))
def test_a_tier_stored_as_text_reads_the_same(tier):
    for relationship in Relationship:
        assert may_see(relationship, str(tier.value)) == may_see(relationship, tier)


def test_an_unknown_tier_is_an_error_not_a_yes():
    with pytest.raises(ValueError, match="friends"):
        may_see(Relationship.SELF, "friends")


@pytest.mark.parametrize(
    ("standing", "tier", "expected"),
    [
        ({R.MANAGER, R.SAME_ORGANIZATION}, T.MANAGER, True),
        ({R.MANAGER, R.SAME_ORGANIZATION}, T.MENTORS, False),
        ({R.MANAGER, R.MENTOR, R.SAME_ORGANIZATION}, T.MENTORS, True),
        ({R.SAME_ORGANIZATION}, T.MANAGER, False),
        ({R.OUTSIDER}, T.ORGANIZATION, False),
        (set(), T.PUBLIC, False),
    ],
)
def test_several_ways_of_standing_see_what_the_closest_sees(standing, tier, expected):
    assert may_see_any(standing, tier) is expected


def test_tiers_are_model_choices_narrowest_first():
    assert Tier.values == ["private", "mentors", "manager", "organization", "public"]
    assert Tier.PRIVATE.label == "Only me"
