"""Problems found in a framework document: where they are and how bad they are."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

Severity = Literal["error", "warning"]

# A path into a document as a tuple of field names and list indexes,
# e.g. ("competencies", 3, "area"); rendered as "competencies[3].area".
Loc = tuple[str | int, ...]


def format_loc(loc: Sequence[str | int]) -> str:
    """Render a location tuple as a document path such as `competencies[3].area`."""
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


@dataclass(frozen=True)
class Issue:
    """One problem: an error refuses the input, a warning reports a recovered quirk."""

    path: str
    message: str
    line: int | None = None
    severity: Severity = "error"
    file: str | None = None

    @property
    def is_error(self) -> bool:
        """True for errors, False for warnings."""
        return self.severity == "error"

    def located(self, *, file: str | None = None, line: int | None = None) -> Issue:
        """Return a copy with the file and line filled in where they are still unknown."""
        return replace(self, file=self.file or file, line=self.line or line)

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON responses and templates."""
        return {
            "path": self.path,
            "message": self.message,
            "line": self.line,
            "severity": self.severity,
            "file": self.file,
        }

    def __str__(self) -> str:
        where = ""
        if self.file:
            where = self.file if self.line is None else f"{self.file}:{self.line}"
        elif self.line is not None:
            where = f"line {self.line}"
        parts = [where] if where else []
        if self.severity == "warning":
            parts.append("warning")
        if self.path:
            parts.append(self.path)
        parts.append(self.message)
        return ": ".join(parts)


def error(path: str, message: str, line: int | None = None) -> Issue:
    """Shorthand for an error issue."""
    return Issue(path=path, message=message, line=line, severity="error")


def warning(path: str, message: str, line: int | None = None) -> Issue:
    """Shorthand for a warning issue."""
    return Issue(path=path, message=message, line=line, severity="warning")


class FrameworkError(Exception):
    """Input that cannot become a framework; `issues` lists every error found."""

    def __init__(self, issues: Iterable[Issue], warnings: Iterable[Issue] = ()) -> None:
        found = list(issues)
        self.issues = [i for i in found if i.is_error]
        self.warnings = [*[i for i in found if not i.is_error], *warnings]
        if not self.issues:
            raise ValueError("FrameworkError needs at least one error issue")
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """All errors, one per line, in the order they were found."""
        return "\n".join(str(issue) for issue in self.issues)

    @classmethod
    def single(
        cls, message: str, *, path: str = "", line: int | None = None, file: str | None = None
    ) -> FrameworkError:
        """An error with one issue."""
        return cls([Issue(path=path, message=message, line=line, file=file)])

    def located(self, file: str) -> FrameworkError:
        """The same errors with `file` filled in where it was unknown."""
        return FrameworkError(
            [i.located(file=file) for i in self.issues],
            [w.located(file=file) for w in self.warnings],
        )
