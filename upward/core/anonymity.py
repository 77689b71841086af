"""The anonymity rule: what anyone may see of anonymous feedback, written once.

Every page, API response and audit entry that touches anonymous answers goes
through here. Pure Python (no app imports), so the rule is tested without a
database.

- The threshold is the organization's number, never below `FLOOR`.
- Anonymous voices are released in whole batches of the threshold, earliest
  batches first. A batch is dated by the day it filled, so it enters and leaves
  any time window as one: no single answer's day is ever used.
- An anonymous rating is shown only inside an aggregate per competency: how
  many, how they spread over the scale, their median, and how many say a higher
  step is sometimes reached. No source, rater, date or order.
- Counts of anonymous answers are stepped: "fewer than 5", then "5+", "10+",
  so no single answer changes what the requester sees.
- Audit entries about anonymous answers carry only the day.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

FLOOR = 3


def threshold(org_value: int) -> int:
    """The organization's anonymity threshold, never below the floor."""
    return max(FLOOR, org_value)


def released_count(count: int, threshold: int) -> int:
    """How many of `count` anonymous answers may show: whole batches only."""
    return count // threshold * threshold


def release[K: Hashable](voices: Iterable[tuple[K, date]], threshold: int) -> dict[K, date]:
    """Of anonymous voices in the order they were given, those that may show,
    each dated by the day its batch filled.

    A voice repeated (one answer rating several times) keeps its first place.
    """
    first: dict[K, date] = {}
    for key, day in voices:
        first.setdefault(key, day)
    keys = list(first)
    out: dict[K, date] = {}
    for start in range(0, released_count(len(keys), threshold), threshold):
        batch = keys[start : start + threshold]
        filled = max(first[k] for k in batch)
        out.update(dict.fromkeys(batch, filled))
    return out


def release_answers[T](
    answers: Sequence[T], threshold: int, *, content: Callable[[T], Any]
) -> list[T]:
    """Of anonymous answers in the order given, the whole batches, sorted by their
    `content` so that their place in the list says nothing of who or when."""
    shown = answers[: released_count(len(answers), threshold)]
    return sorted(shown, key=content)


@dataclass(frozen=True)
class Aggregate:
    """What an anonymous competency rating may be shown as."""

    count: int
    distribution: tuple[tuple[str, int], ...]  # every step of the scale, lowest first
    median: str  # the lower middle step
    sometimes: int = 0  # how many of them say a higher step is sometimes reached


def aggregate(
    steps: Iterable[str], scale: Sequence[str], *, sometimes: int = 0
) -> Aggregate | None:
    """Anonymous ratings of one competency as a count, spread and median, and how many
    say a higher step is sometimes reached; None if none."""
    order = {step: i for i, step in enumerate(scale)}
    indices = sorted(order[s] for s in steps)
    if not indices:
        return None
    counts = [0] * len(scale)
    for i in indices:
        counts[i] += 1
    return Aggregate(
        count=len(indices),
        distribution=tuple(zip(scale, counts, strict=True)),
        median=scale[indices[(len(indices) - 1) // 2]],
        sometimes=sometimes,
    )


@dataclass(frozen=True)
class Stepped:
    """A count of anonymous answers as the requester may see it."""

    released: int  # 0, or a whole number of batches
    threshold: int

    @property
    def label(self) -> str:
        if self.released == 0:
            return f"fewer than {self.threshold}"
        return f"{self.released}+"

    @property
    def shown(self) -> bool:
        return self.released > 0


def stepped(count: int, threshold: int) -> Stepped:
    """`count` anonymous answers, shown only in whole batches of `threshold`."""
    return Stepped(released=released_count(count, threshold), threshold=threshold)


@dataclass(frozen=True)
class RequestCounts:
    """Anonymous requests as the requester may see them: asked and declined exactly,
    answered only stepped. Nothing else (open, withdrawn, expired) is given, so the
    exact number answered can't be worked out from the rest."""

    asked: int
    declined: int
    answered: Stepped


def request_counts(*, asked: int, declined: int, answered: int, threshold: int) -> RequestCounts:
    """The counts of anonymous requests a requester may see."""
    return RequestCounts(asked=asked, declined=declined, answered=stepped(answered, threshold))


def audit_time(moment: datetime) -> datetime:
    """The only time an audit entry about an anonymous answer carries: the start of its day."""
    return moment.replace(hour=0, minute=0, second=0, microsecond=0)
