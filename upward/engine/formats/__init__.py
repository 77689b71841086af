"""Framework formats: one module per format, and a registry that picks the right one.

The Django side needs four calls: `read_any` (one uploaded file), `read_many`
(formats spread over several files), `write` (export) and `validate` (issues only,
never raises). Every failure is a FrameworkError listing what is wrong and where;
nothing is half-imported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from upward.engine.formats import (
    archive,
    case,
    csvfile,
    ft,
    htmlmatrix,
    ladders,
    markdown,
    monzo,
    snowflake,
    unidays,
    upward,
    xlsx,
)
from upward.engine.formats._common import decode_text
from upward.engine.framework import FrameworkDocument, ImportResult
from upward.engine.issues import FrameworkError, Issue
from upward.engine.limits import MAX_FILE_BYTES, MAX_FILES, size_text
from upward.engine.sourcemap import load_json, load_yaml

TextReader = Callable[[str, str], ImportResult]
FilesReader = Callable[[dict[str, str]], ImportResult]
BytesReader = Callable[[bytes, str], ImportResult]
Writer = Callable[[FrameworkDocument], str | bytes]


@dataclass(frozen=True)
class Format:
    """A format the registry knows: how to spot it, read it and write it."""

    name: str
    label: str
    extension: str
    media_type: str
    detect: Callable[[str, str], bool] | None = None
    read: TextReader | None = None
    read_files: FilesReader | None = None
    read_bytes: BytesReader | None = None
    write: Writer | None = None

    @property
    def readable(self) -> bool:
        """True when the format can be imported."""
        return bool(self.read or self.read_files or self.read_bytes)


_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Detection order matters: the most specific shapes first.
FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format(
            "case",
            "1EdTech CASE 1.1 package",
            "case.json",  # told apart from an Upward JSON export by its name
            "application/json",
            case.detect,
            case.read,
            write=case.write,
        ),
        Format(
            "unidays",
            "UNiDAYS competency and role JSON",
            "json",
            "application/json",
            unidays.detect,
            read_files=unidays.read_files,
        ),
        Format(
            "json",
            "Upward JSON",
            "json",
            "application/json",
            upward.detect_json,
            upward.read,
            write=upward.write_json,
        ),
        Format(
            "yaml",
            "Upward YAML",
            "yaml",
            "application/yaml",
            upward.detect_yaml,
            upward.read,
            write=upward.write_yaml,
        ),
        Format(
            "ft", "Financial Times job family YAML", "yml", "application/yaml", ft.detect, ft.read
        ),
        Format(
            "snowflake",
            "Medium snowflake constants.js",
            "js",
            "text/javascript",
            snowflake.detect,
            snowflake.read,
        ),
        Format(
            "monzo",
            "Monzo progression framework Markdown",
            "md",
            "text/markdown",
            monzo.detect,
            monzo.read,
        ),
        Format(
            "ladders",
            "Engineering ladders Markdown (README and ladders)",
            "md",
            "text/markdown",
            ladders.detect,
            read_files=ladders.read_files,
        ),
        Format(
            "csv",
            "Spreadsheet matrix (CSV)",
            "csv",
            "text/csv",
            csvfile.detect,
            csvfile.read,
            write=csvfile.write,
        ),
        Format(
            "xlsx",
            "Spreadsheet matrix (Excel)",
            "xlsx",
            _XLSX_TYPE,
            read_bytes=xlsx.read,
            write=xlsx.write,
        ),
        Format("markdown", "Markdown", "md", "text/markdown", write=markdown.write),
        Format("html", "HTML matrix", "html", "text/html", write=htmlmatrix.write),
    ]
}


def readable_formats() -> list[Format]:
    """Formats that can be imported, in detection order."""
    return [f for f in FORMATS.values() if f.readable]


def writable_formats() -> list[Format]:
    """Formats that can be exported."""
    return [f for f in FORMATS.values() if f.write]


def read_any(data: bytes, filename: str) -> ImportResult:
    """Read one file in any known format, recognised by its content."""
    try:
        return _located(_read_one(data, filename), filename)
    except FrameworkError as exc:
        raise exc.located(filename) from None


def read_many(files: dict[str, bytes]) -> ImportResult:
    """Read a framework spread over several files (ladders, UNiDAYS), or just one."""
    if not files:
        raise FrameworkError.single("no files")
    files, skipped = _unpacked(files)
    try:
        return _with_warnings(_read_files(files), skipped)
    except FrameworkError as exc:
        raise FrameworkError(exc.issues, [*skipped, *exc.warnings]) from None


def _read_files(files: dict[str, bytes]) -> ImportResult:
    if not files:
        raise FrameworkError.single("no framework files (every file was skipped)")
    if len(files) > MAX_FILES:
        raise FrameworkError.single(
            f"{len(files)} files: give at most {MAX_FILES} (the limit for one import)"
        )
    if len(files) == 1:
        [(name, data)] = files.items()
        return read_any(data, name)
    texts: dict[str, str] = {}
    found: dict[str, Format | None] = {}
    for name in sorted(files):  # a stable order whatever the upload order
        texts[name] = _text_of(files[name], name)
        found[name] = _detect(texts[name], name)
    formats = {f.name: f for f in found.values() if f is not None}
    if len(formats) == 1 and None not in found.values():
        [fmt] = formats.values()
        if fmt.read_files is not None:
            reader = fmt.read_files
            return _guarded(lambda: reader(texts), "")
    raise FrameworkError([_which(name, f) for name, f in found.items()])


def write(framework: FrameworkDocument, fmt: str) -> bytes:
    """The framework in format `fmt` (a name from `writable_formats`) as bytes."""
    spec = FORMATS.get(fmt)
    if spec is None or spec.write is None:
        names = ", ".join(f.name for f in writable_formats())
        raise ValueError(f"cannot write format {fmt!r} (known: {names})")
    out = spec.write(framework)
    return out.encode("utf-8") if isinstance(out, str) else out


def validate(data: bytes, filename: str) -> list[Issue]:
    """Every error and warning for one file; empty when it imports cleanly. Never raises."""
    try:
        return list(read_any(data, filename).warnings)
    except FrameworkError as exc:
        return [*exc.issues, *exc.warnings]


def validate_many(files: dict[str, bytes]) -> list[Issue]:
    """Like `validate`, for a framework spread over several files."""
    try:
        return list(read_many(files).warnings)
    except FrameworkError as exc:
        return [*exc.issues, *exc.warnings]


# Internals ----------------------------------------------------------------------


def _unpacked(files: dict[str, bytes]) -> tuple[dict[str, bytes], list[Issue]]:
    """ZIP archives opened into their files; files plainly not framework content left out."""
    out: dict[str, bytes] = {}
    for name, data in files.items():
        if archive.is_zip(data) and not xlsx.detect(data, name):
            out.update(archive.unzip(data, name))
        else:
            out[name] = data
    skipped = []
    for name in sorted(out):
        reason = archive.not_content_reason(name, out[name])
        if reason is not None and not _is_framework_file(out[name], name):
            skipped.append(archive.skipped_warning(name, reason))
            del out[name]
    return out, skipped


def _is_framework_file(data: bytes, filename: str) -> bool:
    # A ladder set's README is content: only files no format claims are skipped.
    try:
        return _detect(decode_text(data), filename) is not None
    except FrameworkError:
        return False


def _with_warnings(result: ImportResult, warnings: list[Issue]) -> ImportResult:
    if not warnings:
        return result
    return ImportResult(
        framework=result.framework, warnings=[*warnings, *result.warnings], format=result.format
    )


def _read_one(data: bytes, filename: str) -> ImportResult:
    _check_size(data)
    if xlsx.detect(data, filename):
        return _guarded(lambda: xlsx.read(data, filename), filename)
    text = _text_of(data, filename)
    fmt = _detect(text, filename)
    if fmt is None:
        _raise_syntax_error(text, filename)
        raise FrameworkError.single(_unknown_message(text))
    if fmt.read_files is not None:
        files_reader = fmt.read_files
        return _guarded(lambda: files_reader({filename: text}), filename)
    assert fmt.read is not None
    text_reader = fmt.read
    return _guarded(lambda: text_reader(text, filename), filename)


def _text_of(data: bytes, filename: str) -> str:
    try:
        _check_size(data)
        if data.startswith(b"PK\x03\x04"):
            what = (
                "a spreadsheet is read on its own"
                if xlsx.detect(data, filename)
                else ("a ZIP archive, not a framework file")
            )
            raise FrameworkError.single(what)
        return decode_text(data)
    except FrameworkError as exc:
        raise exc.located(filename) from None


def _check_size(data: bytes) -> None:
    if not data.strip():
        raise FrameworkError.single("the file is empty")
    if len(data) > MAX_FILE_BYTES:
        raise FrameworkError.single(
            f"the file is larger than {size_text(MAX_FILE_BYTES)} (the limit for one file)"
        )


def _detect(text: str, filename: str) -> Format | None:
    for fmt in FORMATS.values():
        if fmt.detect is not None and fmt.detect(text, filename):
            return fmt
    return None


def _located(result: ImportResult, filename: str) -> ImportResult:
    warnings = [w.located(file=filename) for w in result.warnings]
    return ImportResult(framework=result.framework, warnings=warnings, format=result.format)


def _guarded(call: Callable[[], ImportResult], filename: str) -> ImportResult:
    # A reader bug on strange input must still end as a clear refusal, never a crash.
    try:
        return call()
    except FrameworkError:
        raise
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, RecursionError) as exc:
        raise FrameworkError.single(
            f"could not read this file ({type(exc).__name__}: {exc}); please report it",
            file=filename or None,
        ) from None


def _raise_syntax_error(text: str, filename: str) -> None:
    """A YAML or JSON file no format claims may just be broken: say where, as parsing does."""
    is_json = text.lstrip("\ufeff \t\r\n")[:1] in ("{", "[") or filename.lower().endswith(".json")
    if is_json:
        load_json(text)
    elif filename.lower().endswith((".yaml", ".yml")):
        load_yaml(text)


def _unknown_message(text: str) -> str:
    head = text.lstrip()[:1]
    shape = {"{": "JSON", "[": "JSON", "<": "XML or HTML"}.get(head, "text")
    return f"unrecognised framework format ({shape} that matches no known format)"


def _which(name: str, fmt: Format | None) -> Issue:
    if fmt is None:
        return Issue("", "not a framework file in any known format", file=name)
    if fmt.read_files is None:
        return Issue("", f"{fmt.label} is read one file at a time", file=name)
    message = f"recognised as {fmt.label}, which cannot be mixed with the other files"
    return Issue("", message, file=name)
