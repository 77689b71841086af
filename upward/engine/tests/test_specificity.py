"""The objective specificity check, on the two reference examples and a labelled set."""

from __future__ import annotations

import dataclasses
import time

import pytest

from upward.engine.specificity import (
    LANGUAGES,
    MAX_CHARS,
    MISSING_CODES,
    MISSING_LABELS,
    check_objective,
)
from upward.engine.tests.specificity_cases import CASES, Case

VAGUE_EXAMPLE = "read a book on leadership"
SPECIFIC_EXAMPLE = (
    "propose and lead a Q3 initiative with Product and Engineering to cut checkout latency in "
    "half, presenting the plan at the July leadership review"
)


def test_reading_a_book_on_leadership_is_vague():
    check = check_objective(VAGUE_EXAMPLE)
    assert check.specific is False
    assert check.missing == ("action", "outcome", "context")
    assert check.found["input"] == ("read a book on leadership",)
    assert check.score <= 50


def test_proposing_and_leading_a_q3_initiative_is_specific():
    check = check_objective(SPECIFIC_EXAMPLE)
    assert check.specific is True
    assert check.missing == ()
    assert check.score == 100
    assert {"propose", "lead", "cut", "presenting"} <= set(check.found["action"])
    assert "Product and Engineering" in check.found["audience"]
    assert check.found["measure"] == ("half",)
    assert set(check.found["timebox"]) == {"Q3", "July"}


def evaluate(cases: list[Case]) -> tuple[float, float, float, list[str]]:
    """Precision and recall of "specific", accuracy, and the cases the check gets wrong."""
    tp = fp = fn = 0
    wrong = []
    for case in cases:
        said = check_objective(case.text).specific
        tp += said and case.specific
        fp += said and not case.specific
        fn += case.specific and not said
        if said != case.specific:
            wrong.append(f"{'specific' if case.specific else 'vague'}: {case.text}")
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    return precision, recall, 1 - len(wrong) / len(cases), wrong


def test_the_labelled_set_is_large_and_covers_every_role():
    assert len(CASES) >= 80
    roles = {case.role for case in CASES}
    assert roles == {"engineering", "design", "product", "management", "data"}
    for role in roles:
        labels = {case.specific for case in CASES if case.role == role}
        assert labels == {True, False}, role
    assert len({case.text for case in CASES}) == len(CASES)


def test_precision_recall_and_accuracy_on_the_labelled_set_reach_ninety_five_percent():
    precision, recall, accuracy, wrong = evaluate(CASES)
    print(
        f"\nspecificity on {len(CASES)} objectives: precision {precision:.3f}, "
        f"recall {recall:.3f}, accuracy {accuracy:.3f}"
    )
    for batch in sorted({case.batch for case in CASES}):
        cases = [case for case in CASES if case.batch == batch]
        p, r, a, _ = evaluate(cases)
        print(
            f"  {batch}: {len(cases)} objectives, precision {p:.3f}, recall {r:.3f}, "
            f"accuracy {a:.3f}"
        )
    print("  wrong:", *wrong, sep="\n    ")
    assert precision >= 0.95, wrong
    assert recall >= 0.95, wrong
    assert accuracy >= 0.95, wrong


@pytest.mark.parametrize(
    ("text", "specific"),
    [
        ("Improve my communication by Q3", False),
        ("Get better at public speaking before the end of next quarter", False),
        ("Watch three talks on observability within eight weeks", False),
        ("Take a course on negotiation and run a session on it for the sales team by May", True),
        ("50% fewer incidents in H2", False),
        ("Work on a design doc for the search service by 2027-05-31", False),
        ("Write a design doc for the search service by 2027-05-31", True),
        ("Write a design doc for the search service", False),
    ],
)
def test_the_rule_holds_on_its_hard_cases(text, specific):
    assert check_objective(text).specific is specific


@pytest.mark.parametrize(
    ("text", "timebox"),
    [
        ("Ship the export within eight weeks", "eight weeks"),
        ("Ship the export in the next 6 weeks", "6 weeks"),
        ("Ship the export this quarter", "this quarter"),
        ("Ship the export by the end of next quarter", "end of next quarter"),
        ("Ship the export by May", "May"),
        ("Ship the export in Q3", "Q3"),
        ("Ship the export in H2", "H2"),
        ("Ship the export by 2027-05-31", "2027-05-31"),
        ("Ship the export by 31 October", "31 October"),
        ("Ship the export by March 15", "March 15"),
        ("Ship the export in a six-week pilot", "six week"),
    ],
)
def test_relative_and_absolute_timeboxes_are_recognised(text, timebox):
    check = check_objective(text)
    assert any(timebox in found for found in check.found["timebox"]), check.found
    assert check.specific


def test_may_is_a_month_only_after_a_time_word():
    assert check_objective("You may ship the export").found["timebox"] == ()


@pytest.mark.parametrize(
    ("text", "measure"),
    [
        ("Cut build time by 40%", "40%"),
        ("Cut build time in half", "half"),
        ("Cut build time from 20 to 5 minutes", "from 20 to 5 minutes"),
        ("Reach zero paging alerts at night", "zero"),
        ("Review every migration script", "every"),
        ("Onboard three teams onto the new pipeline", "three"),
    ],
)
def test_measures_are_recognised(text, measure):
    check = check_objective(text)
    assert measure in check.found["measure"]
    assert check.found["timebox"] == ()


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        ("Present the plan with Product", "Product"),
        ("Run the workshop for the backend team", "backend team"),
        ("Present the plan to the leadership review", "review"),
        ("Share the proposal with stakeholders", "stakeholders"),
        ("Write the guide with Priya and Tom", "Priya and Tom"),
    ],
)
def test_audiences_are_recognised(text, audience):
    check = check_objective(text)
    assert any(audience in found for found in check.found["audience"]), check.found
    assert check.specific


@pytest.mark.parametrize(
    ("text", "found", "element"),
    [
        ("Ship the export within sixteen weeks", "sixteen weeks", "timebox"),
        ("Ship the export within forty-five days", "forty-five days", "timebox"),
        ("Ship the export within two hundred days", "two hundred days", "timebox"),
        ("Migrate forty services to the new pipeline", "forty", "measure"),
        ("Migrate twenty-five services to the new pipeline", "twenty-five", "measure"),
        ("Migrate ninety services to the new pipeline", "ninety", "measure"),
        ("Label a hundred support tickets for the triage model", "hundred", "measure"),
        ("Label two thousand support tickets for the triage model", "two thousand", "measure"),
    ],
)
def test_number_words_past_twelve_count_as_measures_and_timeboxes(text, found, element):
    check = check_objective(text)
    assert found in check.found[element], check.found
    assert check.specific


@pytest.mark.parametrize(
    ("text", "audience"),
    [
        ("Write the caching proposal with the tech lead", "tech lead"),
        ("Write a review checklist for reviewers", "reviewers"),
        ("Document the revenue tables with the data engineering lead", "data engineering lead"),
        ("Present the hiring plan to the leadership", "leadership"),
        ("Write a handover runbook for the on-call rotation", "on-call rotation"),
        ("Build an onboarding guide for new joiners", "joiners"),
        ("Agree a quarterly goal with each team", "team"),
        ("Share the pricing research with named people in each team", "named people"),
        ("Review the icon guidelines with the brand designer", "brand designer"),
        ("Build a margin report with the finance analyst", "finance analyst"),
        ("Present the pricing proposal to the steering committee", "steering committee"),
        ("Run the retro for the platform guild", "platform guild"),
        ("Write the migration guide for the release manager", "release manager"),
    ],
)
def test_roles_after_with_for_or_to_are_audiences(text, audience):
    check = check_objective(text)
    assert audience in check.found["audience"], check.found
    assert check.specific


@pytest.mark.parametrize(
    "text",
    [
        "Build a dashboard for the lead time metric",
        "Add a banner to the user settings page",
        "Write the on-call handbook",
        "Write a guide for the manager role",
    ],
)
def test_a_role_word_inside_the_name_of_a_thing_is_no_audience(text):
    check = check_objective(text)
    assert check.found["audience"] == ()
    assert check.missing == ("context",)


@pytest.mark.parametrize(
    "text",
    [
        "Fund two discovery spikes for the payments squad",
        "Hand over the finished illustration set to the brand team",
        "Redirect the old status page to the new one for all customers",
        "Agree the pricing tiers with finance",
        "Refresh the empty-state illustrations for the mobile team",
        "Retire the legacy gateway for the payments team",
        "Set quarterly goals with each of my reports",
        "Train three incident commanders for the on-call rotation",
        "Map the upstream sources of the revenue tables for analysts",
        "Settle the ranking dispute between sales and support",
        "Consolidate the logging libraries for the platform team",
        "Deprecate the v1 endpoints for all customers",
        "Sunset the reporting page for all customers",
        "Negotiate the on-call split with the SRE team",
        "Instrument the checkout funnel for the SRE team",
        "Codify the API review rules for reviewers",
        "Formalise the severity levels with the support lead",
        "Formalize the severity levels with the support lead",
        "Broker an agreement on component ownership between design and engineering",
        "Champion the accessibility audit with the product leads",
        "Sponsor two hack week projects for the platform group",
        "Rebuild the search indexer for the catalogue team",
        "Redesign the pricing page with the growth team",
        "Pilot the new trial flow with the growth team",
        "Prototype the mobile checkout for the payments squad",
        "Benchmark three warehouse engines for the data team",
        "Audit the IAM roles with the security team",
        "Triage the open security findings with the security team",
        "Onboard the new hires onto the payments codebase",
        "Coach the new managers through their first review cycle",
        "Interview candidates for the data team",
        "Hire two backend engineers for the payments team",
        "Staff the new platform squad with four engineers",
        "Tune the autovacuum settings for the platform team",
        "Reconcile the revenue numbers with finance",
        "Wireframe three options for the mobile team",
        "Segment the trial users for marketing",
        "Kick off the partner API discovery with three customers",
        "Decouple notification sending from checkout for the orders team",
        "Illustrate the onboarding screens for the mobile team",
        "Calibrate the promotion cases with the other managers",
        "Delegate the release rotation to two senior engineers",
    ],
)
def test_common_work_verbs_are_owned_actions(text):
    check = check_objective(text)
    assert check.found["action"][0] == text.split()[0], check.found
    assert check.specific, check.found


def test_a_verb_that_is_also_people_is_a_verb_at_the_start_of_a_command_only():
    assert check_objective("Staff the new squad with four engineers").found["action"] == ("Staff",)
    check = check_objective("Present the roadmap to engineers and staff")
    assert check.found["action"] == ("Present",)
    assert check.found["audience"] == ("engineers and staff",)


def test_a_people_verb_acting_on_a_role_shows_an_outcome():
    assert check_objective("Hire a data engineering manager by October").specific
    assert check_objective("Hire by October").missing == ("outcome",)


def test_practice_after_an_article_or_or_is_a_noun():
    check = check_objective(
        "Run a practice failover or practice restore for the billing database by June"
    )
    assert check.found["vague"] == ()
    assert check.specific
    assert check_objective("Stand up a content design practice with two writers by Q3").specific
    assert check_objective("Practice incident response").found["vague"] == ("Practice",)


@pytest.mark.parametrize(
    "text",
    [
        "A migration guide, written with the platform team, by May",
        "Updated brand guidelines, reviewed by the marketing lead, in Q2",
        "Faster releases, without the manual approval process, by Q3",
    ],
)
def test_past_forms_and_prepositions_are_no_actions(text):
    check = check_objective(text)
    assert check.found["action"] == ()
    assert check.missing[0] == "action"


@pytest.mark.parametrize(
    "aim",
    [
        "autonomy",
        "confidence",
        "visibility",
        "alignment",
        "ownership",
        "awareness",
        "trust",
        "clarity",
        "recognition",
        "psychological safety",
        "clear ownership",
    ],
)
def test_an_abstract_aim_is_no_outcome(aim):
    check = check_objective(f"Give my team more {aim} by Q3")
    assert check.missing == ("outcome",), check.found
    assert check.specific is False


@pytest.mark.parametrize(
    "text",
    [
        "Give the team more ownership of its roadmap",
        "Build trust with the design team",
        "Build confidence presenting to executives",
        "Create a sense of urgency in the squad",
    ],
)
def test_an_abstraction_stays_abstract_whatever_follows_it(text):
    assert check_objective(text).missing == ("outcome",)


@pytest.mark.parametrize(
    "text",
    [
        "Create visibility of deploy health with a weekly dashboard for the platform team",
        "Build trust with the sales team by running a joint pipeline review every month",
        "Give each of my reports a written development plan by the end of February",
        "Migrate our 3 remaining cron jobs to the scheduler service by end of sprint 14",
        "Write responsibilities for the tech lead role within eight weeks",
        "Document our testing practices for new joiners",
    ],
)
def test_a_deliverable_around_an_abstract_word_is_still_an_outcome(text):
    assert check_objective(text).specific, check_objective(text).found


def test_a_vague_verb_gets_a_rewrite_built_from_the_target_expectation():
    expectation = "Shapes technical direction across several teams and brings them along."
    check = check_objective(
        "Get better at system design", expectation=expectation, competency="Technical direction"
    )
    assert check.found["vague"] == ("Get better at",)
    first = check.suggestions[0]
    assert '"Get better at"' in first
    assert f'"{expectation.rstrip(".")}"' in first
    assert "Technical direction" in first
    assert "system design" in first


def test_a_long_expectation_is_cut_at_a_word_in_the_rewrite():
    expectation = "Sets direction for the area " * 20
    check = check_objective("Work on architecture", expectation=expectation)
    assert "Sets direction for the area" in check.suggestions[0]
    assert "…" in check.suggestions[0]
    assert expectation.strip() not in check.suggestions[0]


def test_a_vague_verb_without_an_expectation_still_gets_a_rewrite():
    check = check_objective("Learn more about Kubernetes")
    assert check.suggestions[0].startswith('"Learn more about" names a direction')
    assert "Kubernetes" in check.suggestions[0]


def test_an_input_only_objective_is_told_to_tie_it_to_a_deliverable():
    check = check_objective("Watch the conference talks on observability by June")
    assert check.missing == ("action", "outcome")
    assert any("is an input, not an outcome" in s for s in check.suggestions)
    assert any("A date alone" in s for s in check.suggestions)


def test_a_result_without_a_measure_is_asked_how_much():
    check = check_objective("Reduce flaky tests for the checkout team")
    assert check.missing == ("outcome",)
    assert check.suggestions[0].startswith("Say by how much you will reduce it")


@pytest.mark.parametrize(
    ("text", "missing"),
    [
        ("Dashboards for the sales team by March", ("action",)),
        ("Lead the payments team by March", ("outcome",)),
        ("Refactor the payments module", ("context",)),
        ("Be more proactive", ("action", "outcome", "context")),
        ("Ship the search relaunch for the growth team by Q2", ()),
    ],
)
def test_missing_codes_name_what_is_absent(text, missing):
    check = check_objective(text)
    assert check.missing == missing
    assert set(check.missing) <= set(MISSING_CODES)
    assert check.specific is (missing == ())


def test_every_missing_code_has_a_label():
    assert set(MISSING_LABELS) == set(MISSING_CODES)
    assert MISSING_LABELS["context"] == "who it is for, a measure or a timebox"


def test_structured_fields_make_an_objective_specific():
    text = "Write the on-call handbook"
    assert check_objective(text).missing == ("context",)
    for fields in (
        {"stakeholders": ["Platform team"]},
        {"timebox": "2027-Q3"},
        {"success_criteria": ["Used by 4 teams"]},
    ):
        check = check_objective(text, **fields)
        assert check.specific, fields
    assert check_objective(text, stakeholders=["Platform team"]).found["audience"] == (
        "Platform team",
    )


def test_success_criteria_without_a_measure_add_nothing():
    check = check_objective("Write the on-call handbook", success_criteria=["People like it"])
    assert check.missing == ("context",)


def test_fields_do_not_turn_a_wish_into_a_plan():
    check = check_objective("Improve my communication", stakeholders=["Product"], timebox="2027-Q3")
    assert check.specific is False
    assert check.missing == ("action", "outcome")


def test_adding_a_timebox_never_lowers_the_score():
    for case in CASES:
        before = check_objective(case.text)
        after = check_objective(case.text + " by the end of Q3")
        assert after.score >= before.score, case.text
        assert check_objective(case.text, timebox="2027-Q3").score >= before.score, case.text


def test_scores_agree_with_the_verdict():
    for case in CASES:
        check = check_objective(case.text)
        assert 0 <= check.score <= 100
        assert (check.score >= 60) is check.specific, case.text


def test_a_specific_objective_with_full_context_and_no_vague_verb_scores_100():
    check = check_objective(
        "Ship the export for the finance team by Q2, cutting manual work by 80%"
    )
    assert check.score == 100
    assert check.suggestions == ()


def test_a_specific_objective_is_told_what_context_it_could_add():
    check = check_objective("Write the on-call handbook for the platform team")
    assert check.specific
    assert check.suggestions == (
        "Add a measure, so everyone can tell when it is done.",
        "Add a timebox (a date or a quarter) so progress can be checked.",
    )


def test_every_element_is_always_present_in_found():
    check = check_objective("")
    assert set(check.found) == {
        "action",
        "outcome",
        "audience",
        "measure",
        "timebox",
        "vague",
        "input",
    }
    assert check.specific is False
    assert check.score == 0


def test_a_100_kb_input_is_handled_fast_and_only_its_start_is_read():
    text = "Ship the export for the finance team by Q2 " + "and improve my stuff " * 5_000
    assert len(text) > 100_000
    started = time.perf_counter()
    check = check_objective(text)
    assert time.perf_counter() - started < 0.5
    assert check.text == text
    assert check.specific
    assert len(" ".join(check.found["vague"])) < MAX_CHARS


@pytest.mark.parametrize("text", ["a" * 100_000, "-" * 100_000, "1-" * 50_000, "from to " * 12_500])
def test_pathological_input_stays_fast(text):
    started = time.perf_counter()
    check_objective(text)
    assert time.perf_counter() - started < 0.5


def test_an_unknown_language_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match=r"no specificity rules for language 'xx' \(known: en\)"):
        check_objective("Ship it", language="xx")


def test_a_second_language_plugs_in_through_its_rules(monkeypatch):
    # A made-up language: English rules with its own verb for "ship" and its own label.
    english = LANGUAGES["en"]
    messages = dataclasses.replace(
        english.messages, missing_labels={**english.messages.missing_labels, "context": "ctx"}
    )
    verbs = {**english.verbs, "livrer": english.verbs["ship"]}
    rules = dataclasses.replace(english, code="xx", verbs=verbs, messages=messages)
    monkeypatch.setitem(LANGUAGES, "xx", rules)
    assert check_objective("livrer the export for the finance team by Q2", language="xx").specific
    assert not check_objective("livrer the export for the finance team by Q2").specific
