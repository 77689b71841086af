"""Small helpers every format reader shares: decoding, keys, names, kinds."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from typing import Any

from upward.engine.framework.models import Kind
from upward.engine.issues import FrameworkError, Issue, Loc, Severity, error, format_loc, warning
from upward.engine.sourcemap import SourceMap


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16 with BOM; refuse binary data."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FrameworkError.single("damaged UTF-16 text") from None
    if b"\x00" in data[:65536]:
        raise FrameworkError.single("binary data, not a framework file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        msg = (
            f"not UTF-8 text (byte 0x{data[exc.start]:02x}): a binary file, or text in"
            " another encoding; save it as UTF-8"
        )
        raise FrameworkError.single(msg, line=line) from None
    controls = sum(1 for c in text[:65536] if unicodedata.category(c) == "Cc" and c not in "\t\n\r")
    if controls > 8:
        raise FrameworkError.single("binary data, not a framework file")
    return text


def slugify(text: str, fallback: str = "item") -> str:
    """A stable key from a name: `Web client` -> `web-client`, `1.1` stays `1.1`."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9.]+", "-", ascii_text.lower())
    slug = re.sub(r"[-.]{2,}", lambda m: "-" if "-" in m.group() else ".", slug)
    slug = slug.strip("-.")[:100].strip("-.")
    return slug or fallback


def unique_key(key: str, taken: set[str]) -> str:
    """`key`, or `key-2`, `key-3`... when it is already taken; records the result."""
    candidate, n = key, 2
    while candidate in taken:
        candidate, n = f"{key}-{n}", n + 1
    taken.add(candidate)
    return candidate


def clean_name(text: str | None) -> str:
    """A display name without leading emoji or symbols and without outer spaces."""
    text = (text or "").strip()
    start = 0
    while start < len(text) and _decoration(text[start]):
        start += 1
    return text[start:].strip()


def _decoration(char: str) -> bool:
    # Emoji are So; skin tones Sk; joiners Cf; variation selectors Mn.
    return char.isspace() or unicodedata.category(char) in ("So", "Sk", "Cf", "Mn", "Me")


def humanize(key: str) -> str:
    """A name for a key that has none: `team-work` -> `Team work`."""
    words = re.sub(r"[-_.]+", " ", key).strip()
    return words[:1].upper() + words[1:] if words else key


_IMPACT = ("impact", "influence", "delivering value", "business", "accomplishment", "results")
_SKILL = (
    "technical",
    "technology",
    "engineering",
    "mastery",
    "craft",
    "design",
    "data",
    "testing",
    "mobile",
    "web",
    "server",
    "servers",
    "foundations",
    "knowledge",
    "skills",
    "verification",
    "domain",
)


def guess_kind(name: str, default: Kind = "behavior") -> Kind:
    """A competency kind from its name, for sources that do not say (see the docs)."""
    lowered = name.lower()
    if any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in _IMPACT):
        return "impact"
    if any(re.search(rf"\b{re.escape(w)}\b", lowered) for w in _SKILL):
        return "skill"
    return default


def kinds_guessed_warning(kinds: Iterable[str]) -> Issue:
    """One warning saying kinds were guessed, with the tally, so people review them."""
    tally = Counter(kinds)
    summary = ", ".join(f"{n} {k}" for k, n in sorted(tally.items()))
    msg = f"the source does not say which kind each competency is: guessed from names ({summary})"
    return warning("competencies", msg)


def need(condition: object, message: str, *, path: str = "", line: int | None = None) -> None:
    """Raise a one-issue FrameworkError unless `condition` holds."""
    if not condition:
        raise FrameworkError([error(path, message, line)])


_WHAT = {
    str: "text",
    list: "a list",
    dict: "a mapping",
    int: "a whole number",
    bool: "true or false",
}
_MISSING = object()


class SourceReader:
    """Reads fields out of parsed source data; errors name the source path and line.

    `out` maps paths of the framework document being built to the source lines, so
    later validation errors point into the original file too.
    """

    def __init__(self, source: SourceMap, file: str | None) -> None:
        self.source = source
        self.file = file
        self.warnings: list[Issue] = []
        self.out = SourceMap()

    def issue(self, loc: Loc, message: str, severity: Severity = "error") -> Issue:
        """An issue at a source location."""
        return Issue(
            format_loc(loc),
            message,
            self.source.line_for(loc),
            severity,
            self.source.file_for(loc) or self.file,
        )

    def fail(self, loc: Loc, message: str) -> FrameworkError:
        """An error at a source location, carrying the warnings so far."""
        return FrameworkError([self.issue(loc, message)], self.warnings)

    def warn(self, loc: Loc, message: str) -> None:
        """Record a warning at a source location."""
        self.warnings.append(self.issue(loc, message, "warning"))

    def mark(self, doc_loc: Loc, src_loc: Loc) -> None:
        """Remember that a document path came from a source path."""
        self.out.add(doc_loc, self.source.line_for(src_loc), self.source.file_for(src_loc))

    def get(
        self, obj: dict[str, Any], loc: Loc, key: str, kind: type, *, required: bool = True
    ) -> Any:
        """`obj[key]` checked to be of `kind`; None when optional and absent."""
        value = obj.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                raise self.fail((*loc, key), "is required")
            return None
        return self.check(value, (*loc, key), kind)

    def check(self, value: Any, loc: Loc, kind: type) -> Any:
        """`value` if it is of `kind`; a number where text belongs becomes text."""
        if isinstance(value, kind) and not (kind is int and isinstance(value, bool)):
            return value
        if kind is str and isinstance(value, int | float) and not isinstance(value, bool):
            text = self.source.raw.get(loc, str(value))
            self.warn(loc, f"expected text, found the number {text}; read as '{text}'")
            return text
        raise self.fail(loc, f"must be {_WHAT.get(kind, kind.__name__)}, found {_kind_of(value)}")

    def items(self, obj: dict[str, Any], loc: Loc, key: str, *, required: bool = True) -> list[Any]:
        """A list field; absent (when optional) is an empty list."""
        return self.get(obj, loc, key, list, required=required) or []


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {str: "text", list: "a list", dict: "a mapping", bool: "true/false"}.get(
        type(value), "a number" if isinstance(value, int | float) else type(value).__name__
    )


def located_errors[R](read: Callable[[Any, str], R]) -> Callable[[Any, str], R]:
    """Make a single-file reader name its file in every error it raises."""

    @functools.wraps(read)
    def wrapper(data: Any, filename: str = "") -> R:
        try:
            return read(data, filename)
        except FrameworkError as exc:
            raise exc.located(filename) from None

    return wrapper
