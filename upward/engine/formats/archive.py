"""Framework files given as a ZIP archive or a folder, and files that are not framework content.

A ZIP is checked from its directory before anything is unpacked: how many entries,
the unpacked size of each and of all, and member paths that would escape the
archive (`..`, absolute paths). Reading is bounded by those sizes too, so an
archive whose directory lies is still cut short.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath

from upward.engine.issues import FrameworkError, Issue
from upward.engine.limits import (
    MAX_FILE_BYTES,
    MAX_ZIP_MEMBERS,
    MAX_ZIP_UNPACKED_BYTES,
    size_text,
)

# Names that are never framework content, whatever their extension.
_NOT_CONTENT_NAMES = re.compile(
    r"^(license|licence|copying|notice|readme|changelog|contributing|authors|code_of_conduct)"
    r"(\.[a-z0-9]+)?$",
    re.IGNORECASE,
)
_JSON_SCHEMA = re.compile(r'^\s*\{\s*"\$schema"\s*:', re.ASCII)


def is_zip(data: bytes) -> bool:
    """True for a ZIP archive (an Excel workbook is one too: tell them apart first)."""
    return data.startswith(b"PK\x03\x04")


def unzip(data: bytes, archive: str = "upload.zip") -> dict[str, bytes]:
    """The files of a ZIP archive by their path inside it; hidden files and folders left out."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            members = _checked_members(zf.infolist(), archive)
            return {info.filename: _read_member(zf, info, archive) for info in members}
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise FrameworkError.single(f"not a readable ZIP archive ({exc})", file=archive) from None


def read_folder(directory: Path) -> dict[str, bytes]:
    """The files under a folder by their path relative to it; hidden files left out."""
    paths = sorted(
        p
        for p in directory.rglob("*")
        if p.is_file() and not _hidden(p.relative_to(directory).parts)
    )
    if len(paths) > MAX_ZIP_MEMBERS:
        raise FrameworkError.single(
            f"more than {MAX_ZIP_MEMBERS} files (the limit for one folder)", file=str(directory)
        )
    total = sum(p.stat().st_size for p in paths)
    if total > MAX_ZIP_UNPACKED_BYTES:
        raise FrameworkError.single(
            f"the files are larger than {size_text(MAX_ZIP_UNPACKED_BYTES)} together",
            file=str(directory),
        )
    return {str(p.relative_to(directory)): p.read_bytes() for p in paths}


def not_content_reason(name: str, data: bytes) -> str | None:
    """Why a file is plainly not framework content (a licence, a JSON Schema), or None."""
    base = PurePosixPath(name).name
    if _NOT_CONTENT_NAMES.match(base):
        return "not framework content (a licence or project document)"
    if base.lower().endswith(".json") and _JSON_SCHEMA.match(data[:512].decode("utf-8", "replace")):
        return "a JSON Schema, not framework content"
    return None


def skipped_warning(name: str, reason: str) -> Issue:
    """The warning for a file left out of an import."""
    return Issue("", f"skipped: {reason}", severity="warning", file=name)


def _checked_members(infos: list[zipfile.ZipInfo], archive: str) -> list[zipfile.ZipInfo]:
    if len(infos) > MAX_ZIP_MEMBERS:
        raise FrameworkError.single(
            f"the archive has more than {MAX_ZIP_MEMBERS} entries (the limit for one ZIP)",
            file=archive,
        )
    files = [i for i in infos if not i.is_dir()]
    for info in files:
        _check_member_path(info.filename, archive)
        if info.file_size > MAX_FILE_BYTES:
            raise FrameworkError.single(
                f"{info.filename} unpacks to more than {size_text(MAX_FILE_BYTES)}"
                " (the limit for one file)",
                file=archive,
            )
    if sum(i.file_size for i in files) > MAX_ZIP_UNPACKED_BYTES:
        raise FrameworkError.single(
            f"the archive unpacks to more than {size_text(MAX_ZIP_UNPACKED_BYTES)}"
            " (the limit for one ZIP)",
            file=archive,
        )
    kept = [i for i in files if not _hidden(PurePosixPath(i.filename).parts)]
    return kept


def _check_member_path(name: str, archive: str) -> None:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", name):
        raise FrameworkError.single(
            f"the archive holds a path outside itself: {name!r}", file=archive
        )


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, archive: str) -> bytes:
    # The directory's size is a claim: read one byte past it to catch a lie.
    with zf.open(info) as member:
        data = member.read(info.file_size + 1)
    if len(data) > info.file_size:
        raise FrameworkError.single(
            f"{info.filename} unpacks to more than its archive directory says", file=archive
        )
    return data


def _hidden(parts: tuple[str, ...]) -> bool:
    return any(part.startswith(".") or part == "__MACOSX" for part in parts)
