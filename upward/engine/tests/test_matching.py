"""Mentor matching: pair scores, one mentee's ranking, and the exact cohort solve."""

from __future__ import annotations

import random
from collections.abc import Sequence

import pytest

from upward.engine import matching
from upward.engine.matching import (
    EXCLUDED,
    FULL,
    NO_COVER,
    NO_GAPS,
    TAKEN,
    MatchingInputError,
    Mentee,
    Mentor,
    pair_score,
    rank_mentors,
    solve,
)


def brute_force(mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> tuple[float, int]:
    """The best total score over every feasible assignment, and the most pairs at that total."""
    places = {m.key: m.capacity for m in mentors}
    best = (0.0, 0)

    def walk(i: int, total: float, pairs: int) -> None:
        nonlocal best
        if i == len(mentees):
            best = max(best, (round(total, 9), pairs))
            return
        walk(i + 1, total, pairs)
        mentee = mentees[i]
        for mentor in mentors:
            score = pair_score(mentee, mentor).score
            allowed = mentor.key not in mentee.avoid and mentor.key != mentee.key
            if score > 0 and allowed and places[mentor.key] > 0:
                places[mentor.key] -= 1
                walk(i + 1, total + score, pairs + 1)
                places[mentor.key] += 1

    walk(0, 0.0, 0)
    return best


def greedy_total(mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> float:
    """Best pair first, the way a greedy matcher would."""
    candidates = sorted(
        (pair_score(e, m) for e in mentees for m in mentors if m.key not in e.avoid),
        key=lambda p: (-p.score, p.mentee, p.mentor),
    )
    places = {m.key: m.capacity for m in mentors}
    done: set[str] = set()
    total = 0.0
    for p in candidates:
        if p.score > 0 and p.mentee not in done and places[p.mentor] > 0:
            places[p.mentor] -= 1
            done.add(p.mentee)
            total += p.score
    return total


def pairs_of(result) -> list[tuple[str, str]]:
    return [(p.mentee, p.mentor) for p in result.pairs]


def check_feasible(result, mentees: Sequence[Mentee], mentors: Sequence[Mentor]) -> None:
    by_key = {m.key: m for m in mentees}
    used: dict[str, int] = {}
    for p in result.pairs:
        assert p.score > 0
        assert p.mentor not in by_key[p.mentee].avoid
        used[p.mentor] = used.get(p.mentor, 0) + 1
    for mentor in mentors:
        assert used.get(mentor.key, 0) <= mentor.capacity
    keys = [p.mentee for p in result.pairs] + [u.mentee for u in result.unmatched]
    assert sorted(keys) == sorted(by_key)


# Pair score ---------------------------------------------------------------------------


def test_the_pair_score_sums_the_gaps_the_mentor_covers_highest_first():
    mentee = Mentee(
        "ana", {"craft": 1.5, "lead": 3.0, "ops": 2.0}, {"craft": 2, "lead": 3, "ops": 1}
    )
    mentor = Mentor("max", 1, {"craft": 4, "lead": 3, "ops": 0})
    assert pair_score(mentee, mentor).covers == ("lead", "craft")
    assert pair_score(mentee, mentor).score == 4.5


def test_a_mentor_below_the_step_the_target_expects_does_not_cover_it():
    mentee = Mentee("ana", {"lead": 3.0}, {"lead": 3})
    assert pair_score(mentee, Mentor("max", 1, {"lead": 2})).score == 0
    assert pair_score(mentee, Mentor("max", 1, {"lead": 3})).covers == ("lead",)


def test_a_gap_without_an_expected_step_or_with_zero_score_is_not_covered():
    mentee = Mentee("ana", {"lead": 2.0, "craft": 0.0}, {"craft": 1})
    assert pair_score(mentee, Mentor("max", 1, {"lead": 5, "craft": 5})).covers == ()


def test_equal_gaps_are_listed_by_key():
    mentee = Mentee("ana", {"ops": 2.0, "craft": 2.0}, {"ops": 0, "craft": 0})
    assert pair_score(mentee, Mentor("max", 1, {"ops": 1, "craft": 1})).covers == ("craft", "ops")


# One mentee's ranking -------------------------------------------------------------------


def test_rank_mentors_orders_by_score_then_key_and_drops_the_unusable():
    mentee = Mentee("ana", {"lead": 3.0, "craft": 1.0}, {"lead": 1, "craft": 1}, frozenset({"bob"}))
    mentors = [
        Mentor("zoe", 2, {"lead": 1}),
        Mentor("amy", 1, {"lead": 2}),
        Mentor("bob", 3, {"lead": 4, "craft": 4}),  # Ana's manager: excluded
        Mentor("cal", 0, {"lead": 4, "craft": 4}),  # full
        Mentor("dan", 1, {"craft": 1}),
        Mentor("eli", 1, {"ops": 9}),  # covers nothing
        Mentor("ana", 1, {"lead": 4}),  # herself
        Mentor("fay", 1, {"lead": 1, "craft": 2}),
    ]
    ranked = rank_mentors(mentee, mentors)
    assert [(p.mentor, p.score) for p in ranked] == [
        ("fay", 4.0),
        ("amy", 3.0),
        ("zoe", 3.0),
        ("dan", 1.0),
    ]
    assert [p.mentor for p in rank_mentors(mentee, mentors, limit=2)] == ["fay", "amy"]


# The cohort solve: hand-solved cases where the best pair first is worse ------------------


def two_by_two() -> tuple[list[Mentee], list[Mentor]]:
    """docs/matching.md, example 1."""
    mentees = [
        Mentee("ana", {"craft": 4.0, "lead": 1.0}, {"craft": 2, "lead": 2}),
        Mentee("ben", {"lead": 4.0}, {"lead": 2}),
    ]
    mentors = [Mentor("xia", 1, {"craft": 2, "lead": 2}), Mentor("yan", 1, {"craft": 2})]
    return mentees, mentors


def test_the_optimum_beats_taking_the_best_pair_first():
    mentees, mentors = two_by_two()
    # Greedy pairs Ana with Xia (5), and nobody else covers Ben: 5 in all.
    assert greedy_total(mentees, mentors) == 5.0
    result = solve(mentees, mentors)
    assert pairs_of(result) == [("ana", "yan"), ("ben", "xia")]
    assert result.total == 8.0 == brute_force(mentees, mentors)[0]
    assert result.unmatched == []
    assert result.pairs[0].covers == ("craft",)


def capacity_case() -> tuple[list[Mentee], list[Mentor]]:
    """docs/matching.md, example 2: a mentor with two places."""
    mentees = [
        Mentee("ana", {"craft": 5.0, "lead": 1.0}, {"craft": 1, "lead": 1}),
        Mentee("ben", {"lead": 5.0}, {"lead": 1}),
        Mentee("cai", {"ops": 5.0}, {"ops": 1}),
    ]
    mentors = [
        Mentor("xia", 2, {"craft": 1, "lead": 1, "ops": 1}),
        Mentor("yan", 1, {"craft": 1}),
    ]
    return mentees, mentors


def test_capacity_is_used_where_it_adds_the_most():
    mentees, mentors = capacity_case()
    # Greedy: Ana-Xia 6, Ben-Xia 5, Xia is full and Yan can't help Cai: 11.
    assert greedy_total(mentees, mentors) == 11.0
    result = solve(mentees, mentors)
    assert pairs_of(result) == [("ana", "yan"), ("ben", "xia"), ("cai", "xia")]
    assert result.total == 15.0 == brute_force(mentees, mentors)[0]


def test_an_exclusion_is_never_paired_even_when_it_would_score_best():
    mentees, mentors = two_by_two()
    mentees[1] = Mentee("ben", {"lead": 4.0}, {"lead": 2}, avoid=frozenset({"xia"}))
    result = solve(mentees, mentors)
    assert pairs_of(result) == [("ana", "xia")]
    assert [(u.mentee, u.reason) for u in result.unmatched] == [("ben", EXCLUDED)]
    assert result.total == 5.0


def test_a_mentee_is_never_their_own_mentor():
    mentees = [Mentee("ana", {"lead": 2.0}, {"lead": 1})]
    result = solve(mentees, [Mentor("ana", 1, {"lead": 3})])
    assert result.pairs == []
    assert result.unmatched[0].reason == NO_COVER


def test_no_pair_is_made_without_a_covered_gap_even_with_places_left():
    mentees = [
        Mentee("ana", {"lead": 2.0}, {"lead": 1}),
        Mentee("ben", {"ops": 2.0}, {"ops": 3}),
        Mentee("cai", {}, {}),
    ]
    result = solve(mentees, [Mentor("xia", 5, {"lead": 1, "ops": 2})])
    assert pairs_of(result) == [("ana", "xia")]
    assert [(u.mentee, u.reason) for u in result.unmatched] == [("ben", NO_COVER), ("cai", NO_GAPS)]


def test_the_unmatched_say_whether_their_mentors_were_full_or_taken():
    mentees = [
        Mentee("ana", {"lead": 3.0}, {"lead": 1}),
        Mentee("ben", {"lead": 2.0}, {"lead": 1}),
        Mentee("cai", {"ops": 2.0}, {"ops": 1}),
    ]
    mentors = [Mentor("xia", 1, {"lead": 1}), Mentor("yan", 0, {"ops": 1})]
    result = solve(mentees, mentors)
    assert pairs_of(result) == [("ana", "xia")]
    assert [(u.mentee, u.reason) for u in result.unmatched] == [("ben", TAKEN), ("cai", FULL)]


def test_every_place_of_every_mentor_can_be_filled():
    mentees = [Mentee(f"m{i}", {"lead": 1.0 + i}, {"lead": 0}) for i in range(5)]
    mentors = [Mentor("xia", 2, {"lead": 0}), Mentor("yan", 3, {"lead": 0})]
    result = solve(mentees, mentors)
    assert len(result.pairs) == 5
    assert sorted(p.mentor for p in result.pairs) == ["xia", "xia", "yan", "yan", "yan"]


def test_an_empty_cohort_has_nothing_to_match():
    assert solve([], []).pairs == []
    result = solve([Mentee("ana", {"lead": 1.0}, {"lead": 0})], [])
    assert result.unmatched[0].reason == NO_COVER
    assert result.total == 0


# Ties ----------------------------------------------------------------------------------


def test_at_equal_totals_the_assignment_with_more_pairs_wins():
    """docs/matching.md, example 3: Ana alone with Xia scores 4, and so do Ana with Yan
    (2) and Ben with Xia (2); the second matches both."""
    mentees = [
        Mentee("ana", {"craft": 2.0, "lead": 2.0}, {"craft": 1, "lead": 1}),
        Mentee("ben", {"lead": 2.0}, {"lead": 1}),
    ]
    mentors = [Mentor("xia", 1, {"craft": 1, "lead": 1}), Mentor("yan", 1, {"craft": 1})]
    result = solve(mentees, mentors)
    assert pairs_of(result) == [("ana", "yan"), ("ben", "xia")]
    assert result.total == 4.0


def test_shuffled_input_gives_the_same_assignment():
    rng = random.Random(7)
    mentees, mentors = random_cohort(rng, 30, 8, comps=4, halves=True)
    first = solve(mentees, mentors)
    for _ in range(10):
        rng.shuffle(mentees)
        rng.shuffle(mentors)
        assert solve(mentees, mentors) == first


def test_two_mentees_tied_for_one_place_always_get_the_same_answer():
    mentees = [Mentee(k, {"lead": 2.0}, {"lead": 0}) for k in ("ana", "ben", "cai")]
    answers = {
        tuple(pairs_of(solve(order, [Mentor("xia", 1, {"lead": 0})])))
        for order in (mentees, mentees[::-1], mentees[1:] + mentees[:1])
    }
    assert len(answers) == 1


# Against brute force ---------------------------------------------------------------------


def random_cohort(rng: random.Random, n: int, m: int, *, comps: int, halves: bool = False):
    keys = [f"c{k}" for k in range(comps)]
    mentees = []
    for i in range(n):
        chosen = rng.sample(keys, rng.randint(0, 3))
        gaps = {c: (rng.randint(1, 6) / 2 if halves else rng.uniform(0.1, 5)) for c in chosen}
        needs = {c: rng.randint(0, 3) for c in chosen}
        avoid = frozenset(f"t{j}" for j in range(m) if rng.random() < 0.15)
        mentees.append(Mentee(f"s{i}", gaps, needs, avoid))
    mentors = [
        Mentor(
            f"t{j}",
            rng.randint(0, 2),
            {c: rng.randint(0, 3) for c in rng.sample(keys, rng.randint(1, comps))},
        )
        for j in range(m)
    ]
    return mentees, mentors


@pytest.fixture(params=[1, 2, 20], ids=["first-1", "first-2", "first-20"])
def first_arcs(request, monkeypatch):
    """How many of each mentee's best arcs the first flow uses: with 1 or 2 the
    optimum must be reached by proving it over all arcs and adding the missing ones."""
    monkeypatch.setattr(matching, "_FIRST_ARCS", request.param)
    return request.param


@pytest.mark.parametrize("seed", range(150))
def test_the_solve_matches_brute_force_on_small_cohorts(seed, first_arcs):
    rng = random.Random(seed)
    mentees, mentors = random_cohort(
        rng, rng.randint(1, 6), rng.randint(1, 3), comps=3, halves=seed % 2 == 0
    )
    result = solve(mentees, mentors)
    check_feasible(result, mentees, mentors)
    total, most_pairs = brute_force(mentees, mentors)
    assert result.total == pytest.approx(total, abs=1e-5)
    assert len(result.pairs) == most_pairs


def test_the_first_flow_over_the_best_arcs_is_completed_to_the_optimum(monkeypatch):
    monkeypatch.setattr(matching, "_FIRST_ARCS", 1)
    mentees, mentors = capacity_case()
    # Each mentee's best arc goes to Xia: Ana-Yan must be added to reach 15.
    assert pairs_of(solve(mentees, mentors)) == [("ana", "yan"), ("ben", "xia"), ("cai", "xia")]


def test_without_rounds_left_the_flow_runs_over_every_arc(monkeypatch):
    monkeypatch.setattr(matching, "_FIRST_ARCS", 1)
    monkeypatch.setattr(matching, "_ROUNDS", 0)
    mentees, mentors = random_cohort(random.Random(3), 40, 10, comps=4)
    monkeypatch.setattr(matching, "_FIRST_ARCS", 1000)
    whole = solve(mentees, mentors)
    monkeypatch.setattr(matching, "_FIRST_ARCS", 1)
    assert solve(mentees, mentors).total == pytest.approx(whole.total, abs=1e-9)


@pytest.mark.parametrize("seed", range(5))
def test_larger_cohorts_reach_the_same_total_with_or_without_the_first_flow(seed, monkeypatch):
    mentees, mentors = random_cohort(random.Random(seed), 300, 40, comps=6, halves=True)
    monkeypatch.setattr(matching, "_FIRST_ARCS", 1000)
    whole = solve(mentees, mentors)
    monkeypatch.setattr(matching, "_FIRST_ARCS", 2)
    pruned = solve(mentees, mentors)
    check_feasible(pruned, mentees, mentors)
    assert pruned.total == pytest.approx(whole.total, abs=1e-9)
    assert len(pruned.pairs) == len(whole.pairs)


def test_greedy_falls_short_on_some_random_cohorts_and_the_solve_never_does():
    short = 0
    for seed in range(60):
        mentees, mentors = random_cohort(random.Random(seed), 6, 3, comps=3)
        optimum = brute_force(mentees, mentors)[0]
        assert solve(mentees, mentors).total == pytest.approx(optimum, abs=1e-5)
        short += greedy_total(mentees, mentors) < optimum - 1e-9
    assert short > 0


# Bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mentees", "mentors", "field"),
    [
        ([Mentee("a", {}, {}), Mentee("a", {}, {})], [], "mentees[1].key"),
        ([], [Mentor("x", 1), Mentor("y", 1), Mentor("x", 2)], "mentors[2].key"),
        ([], [Mentor("x", 1), Mentor("y", -1)], "mentors[1].capacity"),
        ([Mentee("", {}, {})], [], "mentees[0].key"),
        ([Mentee("a", {"lead": -1.0}, {"lead": 1})], [], "mentees[0].gaps.lead"),
        ([Mentee("a", {"lead": float("nan")}, {"lead": 1})], [], "mentees[0].gaps.lead"),
        ([Mentee("a", {"lead": 1.0}, {"lead": -1})], [], "mentees[0].needs.lead"),
        ([], [Mentor("x", 1, {"lead": -2})], "mentors[0].demonstrated.lead"),
        ([], [Mentor("x", 1.5)], "mentors[0].capacity"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_is_refused_naming_the_field(mentees, mentors, field):
    with pytest.raises(MatchingInputError) as caught:
        solve(mentees, mentors)
    assert caught.value.field == field
    assert caught.value.line is None
    assert str(caught.value).startswith(f"{field}: ")


def test_rank_mentors_refuses_a_negative_capacity_too():
    with pytest.raises(MatchingInputError, match=r"mentors\[0\]\.capacity"):
        rank_mentors(Mentee("a", {}, {}), [Mentor("x", -1)])


def test_an_exclusion_naming_no_known_mentor_is_ignored():
    mentees = [Mentee("ana", {"lead": 1.0}, {"lead": 0}, frozenset({"nobody"}))]
    assert pairs_of(solve(mentees, [Mentor("xia", 1, {"lead": 0})])) == [("ana", "xia")]


def test_very_large_gap_scores_are_compared_with_fewer_decimals():
    mentees = [
        Mentee("ana", {"lead": 4e13}, {"lead": 0}),
        Mentee("ben", {"lead": 3e13, "ops": 2e13}, {"lead": 0, "ops": 0}),
    ]
    mentors = [Mentor("xia", 1, {"lead": 0, "ops": 0}), Mentor("yan", 1, {"lead": 0})]
    assert pairs_of(solve(mentees, mentors)) == [("ana", "yan"), ("ben", "xia")]


def test_gap_scores_beyond_any_range_are_refused():
    with pytest.raises(MatchingInputError, match="too large"):
        solve([Mentee("ana", {"lead": 1e30}, {"lead": 0})], [Mentor("xia", 1, {"lead": 0})])
