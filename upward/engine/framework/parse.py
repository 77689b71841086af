"""Turn plain data into a Framework, reporting every problem at once with its line.

Readers build plain data (and a source map of lines), then call `parse_framework`.
Small type slips a person makes by hand (the text "2" for a weight, a null for an
empty description, "Behaviour" for a kind) are recovered with a warning; anything
else is an error, and an error means no framework at all.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from upward.engine.framework.checks import find_issues
from upward.engine.framework.models import KEY_PATTERN, KINDS, SKIP_CHECKS, FrameworkDocument
from upward.engine.issues import FrameworkError, Issue, Loc, error, format_loc, warning
from upward.engine.limits import LimitExceeded, check_document
from upward.engine.sourcemap import SourceMap

MAX_PASSES = 5


@dataclass(frozen=True)
class ImportResult:
    """A framework read from some input, with the warnings about what was recovered."""

    framework: FrameworkDocument
    warnings: list[Issue] = field(default_factory=list)
    format: str = "upward"


def parse_framework(
    data: Any,
    *,
    source: SourceMap | None = None,
    file: str | None = None,
    warnings: list[Issue] | None = None,
    fmt: str = "upward",
) -> ImportResult:
    """Validate plain data as a framework document; raise FrameworkError with all errors."""
    source = source or SourceMap()
    found = [w.located(file=file) for w in warnings or []]
    if not isinstance(data, dict):
        msg = "a framework document must be a mapping of fields at the top level"
        raise FrameworkError([error("", msg, source.line_for(()))], found).located(file or "")
    try:
        check_document(data)
    except LimitExceeded as exc:
        raise FrameworkError([error("", str(exc))], found).located(file or "") from None
    fw = _validate_structure(copy.deepcopy(data), source, found, file)
    issues = [_locate(i, source, file) for i in find_issues(fw)]
    errors = [i for i in issues if i.is_error]
    found += [i for i in issues if not i.is_error]
    if errors:
        raise FrameworkError(errors, found)
    return ImportResult(framework=canonical_order(fw), warnings=found, format=fmt)


def canonical_order(fw: FrameworkDocument) -> FrameworkDocument:
    """The same framework with expectations sorted by competency, then level.

    Their order carries no meaning; fixing it lets a matrix (which has no other
    order to offer) round-trip exactly, and equal content hash equally.
    """
    competencies = {c.key: i for i, c in enumerate(fw.competencies)}
    levels: dict[str, int] = {}
    for track in fw.tracks:
        for level in fw.levels_of(track.key):
            levels.setdefault(level.key, len(levels))
    ordered = sorted(
        fw.expectations,
        key=lambda e: (competencies.get(e.competency, 0), levels.get(e.level, 0)),
    )
    if ordered == fw.expectations:
        return fw
    return fw.model_copy(update={"expectations": ordered})


def _validate_structure(
    data: dict[str, Any], source: SourceMap, found: list[Issue], file: str | None
) -> FrameworkDocument:
    for _ in range(MAX_PASSES):
        try:
            return FrameworkDocument.model_validate(data, context={SKIP_CHECKS: True})
        except ValidationError as exc:
            errors: list[Issue] = []
            for details in exc.errors():
                loc = _clean_loc(details["loc"])
                issue = _locate(_recover(details, loc, data, source), source, file, loc)
                (errors if issue.is_error else found).append(issue)
            if errors:
                raise FrameworkError(errors, found) from None
    raise FrameworkError([error("", "the document could not be repaired")], found)


def _clean_loc(loc: tuple[int | str, ...]) -> Loc:
    # Tagged unions put the tag in the location: tracks[0].levels[1].level.title.
    out = list(loc)
    if len(out) > 4 and out[0] == "tracks" and out[2] == "levels" and out[4] in ("level", "ref"):
        del out[4]
    return tuple(out)


def _locate(issue: Issue, source: SourceMap, file: str | None, loc: Loc | None = None) -> Issue:
    loc = parse_path(issue.path) if loc is None else loc
    return issue.located(file=source.file_for(loc) or file, line=source.line_for(loc))


_PATH_PART = re.compile(r"\[(\d+)\]|\.?([^.\[]+)")


def parse_path(path: str) -> Loc:
    """The inverse of format_loc: `competencies[3].area` -> ("competencies", 3, "area")."""
    loc: list[str | int] = []
    for index, name in _PATH_PART.findall(path):
        loc.append(int(index) if index else name)
    return tuple(loc)


# Recoveries --------------------------------------------------------------------


def _recover(details: ErrorDetails, loc: Loc, data: Any, source: SourceMap) -> Issue:
    """Fix the value at `loc` in place and return a warning, or return an error."""
    kind = details["type"]
    value = details.get("input")
    path = format_loc(loc)
    fixed = _FIXERS.get(kind, _no_fix)(value, source.raw.get(loc))
    if fixed is not _UNFIXED and _set(data, loc, fixed[0]):
        return warning(path, fixed[1])
    return error(path, friendly_message(details))


_UNFIXED: Any = object()


def _no_fix(value: Any, raw: str | None) -> Any:
    return _UNFIXED


def _fix_number(value: Any, raw: str | None) -> Any:
    if isinstance(value, bool):
        return _UNFIXED
    if isinstance(value, float) and value.is_integer():
        return int(value), f"expected a whole number, found {value}; read as {int(value)}"
    if not isinstance(value, str):
        return _UNFIXED
    try:
        number = float(value.strip().replace(",", "."))
    except ValueError:
        return _UNFIXED
    result: int | float = int(number) if number.is_integer() else number
    return result, f"expected a number, found the text {value!r}; read as {result}"


def _fix_text(value: Any, raw: str | None) -> Any:
    if value is None:
        return "", "empty value (null) read as empty text"
    if isinstance(value, dict | list):
        return _UNFIXED
    text = raw if raw is not None else str(value)
    return text, f"expected text, found {type(value).__name__} {text}; read as '{text}'"


def _fix_list(value: Any, raw: str | None) -> Any:
    if value is None:
        return [], "empty value (null) read as an empty list"
    if isinstance(value, str):
        return [value], "expected a list, found one text; read as a list of one"
    return _UNFIXED


def _fix_bool(value: Any, raw: str | None) -> Any:
    words = {"yes": True, "true": True, "1": True, "no": False, "false": False, "0": False}
    if isinstance(value, str | int) and str(value).strip().lower() in words:
        result = words[str(value).strip().lower()]
        return result, f"expected true or false, found {value!r}; read as {str(result).lower()}"
    return _UNFIXED


def _fix_literal(value: Any, raw: str | None) -> Any:
    # The one literal people type by hand is `kind`; British spelling is common.
    if not isinstance(value, str):
        return _UNFIXED
    normal = value.strip().lower().replace("behaviour", "behavior")
    if normal in KINDS and normal != value:
        return normal, f"kind {value!r} read as '{normal}'"
    return _UNFIXED


_FIXERS = {
    "float_type": _fix_number,
    "float_parsing": _fix_number,
    "int_type": _fix_number,
    "int_parsing": _fix_number,
    "int_from_float": _fix_number,
    "string_type": _fix_text,
    "list_type": _fix_list,
    "bool_type": _fix_bool,
    "bool_parsing": _fix_bool,
    "literal_error": _fix_literal,
}


def _set(data: Any, loc: Loc, value: Any) -> bool:
    """Replace the value at `loc`; False when the path does not lead to a value."""
    target = data
    for part in loc[:-1]:
        try:
            target = target[part]
        except (KeyError, IndexError, TypeError):
            return False
    if not loc or not isinstance(target, dict | list):
        return False
    try:
        target[loc[-1]] = value  # type: ignore[index]
    except (IndexError, TypeError):
        return False
    return True


def friendly_message(details: ErrorDetails) -> str:
    """A sentence for a pydantic error, naming the value that was wrong."""
    kind = details["type"]
    ctx = details.get("ctx") or {}
    value = details.get("input")
    shown = repr(value) if isinstance(value, str | int | float | bool) else type(value).__name__
    messages = {
        "missing": "is required",
        "extra_forbidden": "unknown field (check the spelling)",
        "string_pattern_mismatch": (
            f"{shown} is not a valid key: use lowercase letters and digits,"
            " with single '-', '_' or '.' between them"
            if ctx.get("pattern") == KEY_PATTERN
            else "must contain some text"
        ),
        "string_too_short": "must not be empty",
        "string_too_long": f"is too long (at most {ctx.get('max_length')} characters)",
        "literal_error": f"must be {ctx.get('expected')}, found {shown}",
        "greater_than": f"must be greater than {_number(ctx.get('gt'))}, found {shown}",
        "greater_than_equal": f"must be at least {_number(ctx.get('ge'))}, found {shown}",
        "finite_number": "must be a finite number",
        "float_type": f"must be a number, found {shown}",
        "int_type": f"must be a whole number, found {shown}",
        "int_from_float": f"must be a whole number, found {shown}",
        "string_type": f"must be text, found {shown}",
        "bool_type": f"must be true or false, found {shown}",
        "list_type": f"must be a list, found {shown}",
        "dict_type": f"must be a mapping of fields, found {shown}",
        "model_type": f"must be a mapping of fields, found {shown}",
        "model_attributes_type": f"must be a mapping of fields, found {shown}",
    }
    return messages.get(kind, details["msg"])


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, int | float) else str(value)
