"""The framework document as pydantic models, and the questions Upward asks of it."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StringConstraints,
    Tag,
    ValidationInfo,
    model_validator,
)
from pydantic_core import PydanticCustomError

from upward.engine.framework.checks import find_issues
from upward.engine.links import LINK_PATTERN, link_problem

# Keys are stable slugs: lowercase letters and digits, single separators inside.
KEY_PATTERN = r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$"
Key = Annotated[str, StringConstraints(pattern=KEY_PATTERN, max_length=100)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=500)]
# A signal or example: some text, not just spaces (spreadsheets drop blank cells).
Item = Annotated[str, StringConstraints(min_length=1, pattern=r"\S")]
Kind = Literal["impact", "behavior", "skill"]
KINDS: tuple[Kind, ...] = ("impact", "behavior", "skill")

# Validation context flag: build the model without cross-reference checks, so the
# caller can run them itself and report every issue with its own locations.
SKIP_CHECKS = "upward_skip_checks"
# Validation context flag: the document comes from storage, where it was checked
# by the rules of its day. Load it as it is; pages guard what they render as links.
STORED = "upward_stored"


def _check_link(value: str, info: ValidationInfo) -> str:
    problem = link_problem(value)
    if problem is None or (info.context and info.context.get(STORED)):
        return value
    raise PydanticCustomError("unsafe_link", "{problem}", {"problem": problem})


# A link a page may render: empty, or an absolute http, https or mailto address.
Link = Annotated[
    str,
    AfterValidator(_check_link),
    Field(json_schema_extra={"pattern": f"^$|{LINK_PATTERN}"}),
]


class _Model(BaseModel):
    # strict: a string where a number belongs is a reader's recovery (with a
    # warning), never a silent coercion inside the model.
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Attribution(_Model):
    """Where a framework comes from and under which licence it may be used."""

    source: Name
    url: Link = ""
    licence: str = ""


class Area(_Model):
    """A group of competencies."""

    key: Key
    name: Name
    description: str = ""


class Step(_Model):
    """One rung of a competency's own proficiency scale."""

    key: Key
    name: Name
    description: str = ""
    signals: list[Item] = []
    examples: list[Item] = []


class Competency(_Model):
    """Something observable and measurable, in one area."""

    key: Key
    name: Name
    description: str = ""
    area: Key = Field(description="Key of the area the competency belongs to.")
    kind: Kind = Field(description="Gap ranking favours impact, then behavior, then skill.")
    weight: float = Field(
        default=1.0, gt=0, allow_inf_nan=False, description="Relative weight in gap ranking."
    )
    scale: list[Step] = Field(
        default=[],
        description="The competency's own ordered proficiency steps, lowest first. Empty:"
        " its steps are the levels of the track.",
    )

    @property
    def has_scale(self) -> bool:
        """True when the competency has its own steps instead of the track's levels."""
        return bool(self.scale)


class Level(_Model):
    """A rung of a track."""

    key: Key = Field(description="Unique across the whole framework, not just the track.")
    code: str = Field(default="", description="Short label such as IC3.")
    title: Name
    summary: str = ""
    rank: int | None = Field(
        default=None, description="Cross-track rank: levels of equal rank are equivalent."
    )

    @property
    def label(self) -> str:
        """Code and title for display, e.g. `IC3 Senior Engineer`."""
        return f"{self.code} {self.title}" if self.code else self.title


class LevelRef(_Model):
    """A level defined in another track and shared by this one (common lower rungs)."""

    ref: Key = Field(description="Key of a level defined in another track.")


def _level_tag(value: Any) -> str:
    if isinstance(value, dict):
        return "ref" if "ref" in value else "level"
    return "ref" if isinstance(value, LevelRef) else "level"


TrackLevel = Annotated[
    Annotated[Level, Tag("level")] | Annotated[LevelRef, Tag("ref")],
    Discriminator(_level_tag),
]


class Track(_Model):
    """One ladder: an ordered list of levels, some possibly shared with other tracks."""

    key: Key
    name: Name
    description: str = ""
    levels: list[TrackLevel] = []


class Expectation(_Model):
    """What a competency looks like at a level."""

    competency: Key
    level: Key
    summary: str = ""
    signals: list[Item] = []
    examples: list[Item] = []
    step: Key | None = Field(
        default=None,
        description="The required step of the competency's own scale; required exactly when"
        " the competency has a scale.",
    )
    optional: bool = Field(default=False, description="Nice to have at this level, not required.")


class PointsThreshold(_Model):
    """From `min_points` total points on, a person is at `level`."""

    min_points: int = Field(ge=0)
    level: Key


class PointsTitle(_Model):
    """A job title for a band of points; bands may overlap (IC and manager titles)."""

    title: Name
    min_points: int = Field(ge=0)
    max_points: int | None = Field(default=None, description="None: no upper bound.")
    tracks: list[Key] = Field(default=[], description="Tracks the title applies to; empty: all.")


class PointsRule(_Model):
    """Levels from points: each competency's step earns points; totals map to levels."""

    kind: Literal["points"]
    step_points: dict[Key, Annotated[int, Field(ge=0)]] = Field(
        description="Points earned for reaching a step, by step key (shared by all scales)."
    )
    thresholds: list[PointsThreshold] = Field(
        description="Rising point totals at which each level starts."
    )
    titles: list[PointsTitle] = []

    def level_for(self, points: int) -> str | None:
        """The level key for a points total, or None below the first threshold."""
        found = None
        for threshold in sorted(self.thresholds, key=lambda t: t.min_points):
            if points >= threshold.min_points:
                found = threshold.level
        return found

    def titles_for(self, points: int, track: str | None = None) -> list[str]:
        """Every title whose band holds `points` (and that applies to `track`)."""
        return [
            t.title
            for t in self.titles
            if points >= t.min_points
            and (t.max_points is None or points <= t.max_points)
            and (track is None or not t.tracks or track in t.tracks)
        ]


class FrameworkDocument(_Model):
    """A career growth model: areas, competencies, tracks of levels, expectations."""

    format_version: Literal[1] = Field(default=1, description="Version of this document format.")
    key: Key
    name: Name
    description: str = ""
    attribution: Attribution | None = None
    areas: list[Area] = []
    competencies: list[Competency] = []
    tracks: list[Track] = []
    expectations: list[Expectation] = []
    level_rule: PointsRule | None = None

    _index: _Index = PrivateAttr()

    def model_post_init(self, context: Any, /) -> None:
        """Build lookup tables once; the model is frozen so they never go stale."""
        self._index = _Index(self)

    @model_validator(mode="after")
    def _check_references(self, info: ValidationInfo) -> FrameworkDocument:
        if info.context and info.context.get(SKIP_CHECKS):
            return self
        errors = [i for i in find_issues(self) if i.is_error]
        if errors:
            raise ValueError("; ".join(f"{i.path}: {i.message}" for i in errors))
        return self

    # Lookups -----------------------------------------------------------------

    def area(self, key: str) -> Area:
        """The area with this key (KeyError if none)."""
        return _get(self._index.areas, key, "area")

    def competency(self, key: str) -> Competency:
        """The competency with this key (KeyError if none)."""
        return _get(self._index.competencies, key, "competency")

    def track(self, key: str) -> Track:
        """The track with this key (KeyError if none)."""
        return _get(self._index.tracks, key, "track")

    def level(self, key: str) -> Level:
        """The level with this key, whichever track defines it (KeyError if none)."""
        return _get(self._index.levels, key, "level")

    def levels_of(self, track: str) -> list[Level]:
        """The levels of a track in order, shared levels included."""
        return list(_get(self._index.track_levels, track, "track"))

    def tracks_of(self, level: str) -> list[Track]:
        """Every track the level belongs to (more than one when shared)."""
        return [self.track(key) for key in self._index.level_tracks.get(level, [])]

    def next_level(self, track: str, level: str) -> Level | None:
        """The level after `level` on `track`, or None at the top."""
        levels = self.levels_of(track)
        keys = [lv.key for lv in levels]
        if level not in keys:
            raise KeyError(f"level {level!r} is not on track {track!r}")
        position = keys.index(level)
        return levels[position + 1] if position + 1 < len(levels) else None

    def expectation(self, competency: str, level: str) -> Expectation | None:
        """The expectation for a competency at a level, if the framework states one."""
        return self._index.expectations.get((competency, level))

    def expectations_at(self, level: str) -> list[Expectation]:
        """The expectations of one level, in competency order."""
        return [
            e
            for c in self.competencies
            if (e := self._index.expectations.get((c.key, level))) is not None
        ]

    def steps(self, competency: str, track: str | None = None) -> list[Step]:
        """A competency's ordered steps: its own scale, or else the levels of `track`."""
        found = self.competency(competency)
        if found.scale:
            return list(found.scale)
        if track is None:
            if len(self.tracks) != 1:
                raise ValueError(f"competency {competency!r} has no own scale: name a track")
            track = self.tracks[0].key
        return [
            Step(key=lv.key, name=lv.label, description=lv.summary) for lv in self.levels_of(track)
        ]

    def step_index(self, competency: str, step: str, track: str | None = None) -> int:
        """Position of a step in the competency's steps (0 is the lowest)."""
        keys = [s.key for s in self.steps(competency, track)]
        if step not in keys:
            raise KeyError(f"competency {competency!r} has no step {step!r}")
        return keys.index(step)

    def required_step(self, competency: str, level: str) -> str | None:
        """The step a level requires: the expectation's own-scale step, or the level
        itself for competencies on the track's levels; None when nothing is expected."""
        expectation = self.expectation(competency, level)
        if expectation is None:
            return None
        return expectation.step if self.competency(competency).scale else level

    # Serialization -------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        """Canonical plain data: defaults left out so new optional fields keep hashes."""
        data = self.model_dump(mode="json", exclude_defaults=True)
        data["format_version"] = self.format_version
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """Canonical JSON: sorted keys, UTF-8 text, stable across runs."""
        separators = (",", ":") if indent is None else (",", ": ")
        return json.dumps(
            self.to_dict(), sort_keys=True, ensure_ascii=False, indent=indent, separators=separators
        )

    def content_hash(self) -> str:
        """sha256 of the compact canonical JSON: equal documents, equal hashes."""
        return hashlib.sha256(self.to_json(indent=None).encode("utf-8")).hexdigest()


def _get[T](table: Mapping[str, T], key: str, kind: str) -> T:
    try:
        return table[key]
    except KeyError:
        raise KeyError(f"unknown {kind} {key!r}") from None


class _Index:
    """Lookup tables; the first definition wins when keys repeat (checks report it)."""

    # Derived from the fields, which pydantic already compares: two documents with
    # equal fields have equal indexes.
    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Index)

    __hash__ = None  # type: ignore[assignment]

    def __init__(self, fw: FrameworkDocument) -> None:
        self.areas = _first_by_key(fw.areas)
        self.competencies = _first_by_key(fw.competencies)
        self.tracks = _first_by_key(fw.tracks)
        self.levels: dict[str, Level] = {}
        for track in fw.tracks:
            for item in track.levels:
                if isinstance(item, Level):
                    self.levels.setdefault(item.key, item)
        self.track_levels: dict[str, list[Level]] = {}
        self.level_tracks: dict[str, list[str]] = {}
        for track in fw.tracks:
            levels = self.track_levels.setdefault(track.key, [])
            for item in track.levels:
                key = item.key if isinstance(item, Level) else item.ref
                if key in self.levels and track.key not in self.level_tracks.get(key, []):
                    levels.append(self.levels[key])
                    self.level_tracks.setdefault(key, []).append(track.key)
        self.expectations: dict[tuple[str, str], Expectation] = {}
        for e in fw.expectations:
            self.expectations.setdefault((e.competency, e.level), e)


def _first_by_key[T: Area | Competency | Track](items: list[T]) -> dict[str, T]:
    table: dict[str, T] = {}
    for item in items:
        table.setdefault(item.key, item)
    return table
