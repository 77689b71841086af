"""`upward framework ...`: frameworks as code, from the command line.

validate, render, schema and diff of files need no database; import, export and
diff of stored versions use the configured one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path

from upward.engine import formats
from upward.engine.diff import diff
from upward.engine.formats import archive
from upward.engine.framework import FrameworkDocument, ImportResult, framework_json_schema
from upward.engine.issues import FrameworkError

Setup = Callable[[], None]


def add_commands(sub: argparse._SubParsersAction, setup: Setup) -> None:
    """Register `framework` and its actions on the top-level parser."""
    fw = sub.add_parser("framework", help="validate, import, export, diff and render frameworks")
    actions = fw.add_subparsers(dest="action", required=True, metavar="ACTION")

    p = actions.add_parser("validate", help="check files; errors as file:line: message")
    p.add_argument(
        "files",
        nargs="+",
        type=Path,
        help="one file, a ZIP, a folder, or all files of a multi-file format",
    )
    p.set_defaults(func=cmd_validate)

    p = actions.add_parser("import", help="import files into the library or an organization")
    p.add_argument(
        "files", nargs="+", type=Path, help="one file, a ZIP, a folder, or several files"
    )
    p.add_argument("--org", help="organization slug (default: the built-in library)")
    p.add_argument("--publish", action="store_true", help="publish the imported draft at once")
    p.add_argument(
        "--new-version",
        action="store_true",
        help="store as the next draft version of the existing framework with the file's key"
        " (without it, a key already in use is refused)",
    )
    p.set_defaults(func=lambda a: cmd_import(a, setup))

    p = actions.add_parser("export", help="write a stored framework in any format")
    p.add_argument("key", help="framework key")
    p.add_argument("--org", help="organization slug (default: the built-in library)")
    p.add_argument("--version", type=int, help="version number (default: the published one)")
    p.add_argument("--format", required=True, choices=[f.name for f in formats.writable_formats()])
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.set_defaults(func=lambda a: cmd_export(a, setup))

    p = actions.add_parser(
        "diff",
        help="compare two frameworks: files, or stored versions as KEY@N (KEY: the published one)",
    )
    p.add_argument("old", help="a file, or KEY@N / KEY for a stored version")
    p.add_argument("new", help="a file, or KEY@N / KEY for a stored version")
    p.add_argument("--org", help="organization slug for stored versions (default: the library)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=lambda a: cmd_diff(a, setup))

    p = actions.add_parser("render", help="render a framework file as Markdown or HTML")
    p.add_argument("file", type=Path)
    p.add_argument("--format", required=True, choices=["md", "html"])
    p.add_argument("-o", "--output", type=Path, help="file to write (default: standard output)")
    p.set_defaults(func=cmd_render)

    p = actions.add_parser("schema", help="print the JSON Schema of the framework document")
    p.set_defaults(func=cmd_schema)


def _files(paths: list[Path]) -> dict[str, bytes]:
    """The bytes of each file; a folder gives every file under it (a published multi-file set)."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        raise FrameworkError.single(f"no such file: {', '.join(missing)}")
    files: dict[str, bytes] = {}
    for path in paths:
        if path.is_dir():
            files.update({str(path / k): v for k, v in archive.read_folder(path).items()})
        else:
            files[str(path)] = path.read_bytes()
    return files


def _read(paths: list[Path]) -> ImportResult:
    return formats.read_many(_files(paths))


def _report(exc: FrameworkError) -> int:
    for issue in exc.issues:
        print(issue, file=sys.stderr)
    for issue in exc.warnings:
        print(issue, file=sys.stderr)
    print(f"{len(exc.issues)} error(s)", file=sys.stderr)
    return 1


def cmd_validate(args: argparse.Namespace) -> int:
    """Exit 0 when the files make a valid framework (warnings printed), 1 otherwise."""
    try:
        result = _read(args.files)
    except FrameworkError as exc:
        return _report(exc)
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    fw = result.framework
    levels = sum(len(fw.levels_of(t.key)) for t in fw.tracks)
    print(
        f"ok: {fw.name} ({result.format}): {len(fw.competencies)} competencies, "
        f"{len(fw.tracks)} tracks, {levels} levels, {len(fw.expectations)} expectations, "
        f"{len(result.warnings)} warning(s)"
    )
    return 0


def cmd_import(args: argparse.Namespace, setup: Setup) -> int:
    """Import into the database with progress on standard error."""
    started = time.monotonic()
    step = _progress(started)
    step(f"reading {len(args.files)} file(s)")
    try:
        result = _read(args.files)
    except FrameworkError as exc:
        return _report(exc)
    fw = result.framework
    step(f"read {fw.name}: {len(fw.competencies)} competencies, {len(fw.expectations)} cells")
    setup()
    from upward.accounts.models import Organization
    from upward.core.errors import UpwardError
    from upward.frameworks import services
    from upward.frameworks.models import Framework

    organization = None
    if args.org:
        organization = Organization.objects.filter(slug=args.org).first()
        if organization is None:
            print(f"error: no organization with slug '{args.org}'", file=sys.stderr)
            return 1
    try:
        files = _files(args.files)
        target = Framework.objects.filter(organization=organization, key=fw.key).first()
        version = services.import_framework(
            files=files,
            organization=organization,
            by=None,
            mode="version" if args.new_version else "new",
            target=target,
        )
        step(f"stored as draft version {version.number}")
        if args.publish:
            services.publish_version(version=version, by=None)
            step(f"published version {version.number}")
    except UpwardError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(warning, file=sys.stderr)
    print(f"imported {fw.key} version {version.number} ({version.status})")
    return 0


def cmd_export(args: argparse.Namespace, setup: Setup) -> int:
    """Write a stored version in the chosen format."""
    setup()
    from upward.frameworks.models import Framework, VersionStatus
    from upward.frameworks.selectors import document_of

    framework = Framework.objects.filter(key=args.key, organization__slug=args.org).first()
    if args.org is None:
        framework = Framework.objects.filter(key=args.key, organization=None).first()
    if framework is None:
        where = f"organization '{args.org}'" if args.org else "the library"
        print(f"error: no framework '{args.key}' in {where}", file=sys.stderr)
        return 1
    versions = framework.versions.all()
    version = (
        versions.filter(number=args.version).first()
        if args.version
        else versions.filter(status=VersionStatus.PUBLISHED).first()
    )
    if version is None:
        print(f"error: '{args.key}' has no such version", file=sys.stderr)
        return 1
    _emit(formats.write(document_of(version), args.format), args.output)
    return 0


def cmd_diff(args: argparse.Namespace, setup: Setup) -> int:
    """Print what changed from `old` to `new`: added, removed, renamed, changed cells."""
    try:
        old, new = (_load(spec, args.org, setup) for spec in (args.old, args.new))
    except FrameworkError as exc:
        return _report(exc)
    except LookupError as exc:
        print(f"error: {exc.args[0]}", file=sys.stderr)
        return 1
    changes = diff(old, new)
    if args.format == "json":
        print(json.dumps(changes.to_dict(), indent=2, sort_keys=True))
    else:
        print(changes.summary() if not changes.empty else "no differences")
    return 0


def _load(spec: str, org: str | None, setup: Setup) -> FrameworkDocument:
    """A framework from a file path, or from the database as KEY or KEY@N."""
    path = Path(spec)
    if path.is_file():
        return _read([path]).framework
    key, _, number = spec.partition("@")
    if not key or (number and not number.isdigit()):
        raise LookupError(f"'{spec}' is neither a file nor KEY@N")
    setup()
    from upward.frameworks.models import FrameworkVersion, VersionStatus
    from upward.frameworks.selectors import document_of

    versions = FrameworkVersion.objects.filter(framework__key=key)
    versions = (
        versions.filter(framework__organization__slug=org)
        if org
        else versions.filter(framework__organization=None)
    )
    version = (
        versions.filter(number=int(number)).first()
        if number
        else versions.filter(status=VersionStatus.PUBLISHED).first()
    )
    if version is None:
        raise LookupError(f"no stored version '{spec}' (and no such file)")
    return document_of(version)


def cmd_render(args: argparse.Namespace) -> int:
    """Render a framework file for reading."""
    try:
        result = _read([args.file])
    except FrameworkError as exc:
        return _report(exc)
    fmt = {"md": "markdown", "html": "html"}[args.format]
    _emit(formats.write(result.framework, fmt), args.output)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    """Print the JSON Schema of the framework document."""
    print(json.dumps(framework_json_schema(), indent=2, sort_keys=True))
    return 0


def _emit(data: bytes, output: Path | None) -> None:
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    else:
        output.write_bytes(data)
        print(f"wrote {output} ({len(data):,} bytes)", file=sys.stderr)


def _progress(started: float) -> Callable[[str], None]:
    def step(message: str) -> None:
        print(f"[{time.monotonic() - started:5.1f}s] {message}", file=sys.stderr, flush=True)

    return step
