"""What the commands that work from files (`upward delta`, `upward packet`) check before
computing anything: that the files exist, and which tracks and levels the person is on."""

from __future__ import annotations

from pathlib import Path

from upward.engine.framework.models import FrameworkDocument


class UsageError(Exception):
    """The command was given something it can't use; the message says what."""


def read_file(path: Path) -> bytes:
    """The file's bytes, or a UsageError naming it when there is no such file."""
    if not path.is_file():
        raise UsageError(f"no such file: {path}")
    return path.read_bytes()


def resolve_tracks(
    fw: FrameworkDocument, track: str | None, target_track: str | None
) -> tuple[str, str]:
    """The current and target track: the only track when none is given, checked to exist."""
    keys = [t.key for t in fw.tracks]
    if track is None:
        if len(keys) != 1:
            raise UsageError(
                f"the framework has several tracks; pass --track (one of {', '.join(keys)})"
            )
        track = keys[0]
    for name in (track, target_track):
        if name is not None and name not in keys:
            raise UsageError(f"no track '{name}' (tracks: {', '.join(keys)})")
    return track, target_track or track


def check_levels(
    fw: FrameworkDocument, track: str, current: str, target_track: str, target: str
) -> None:
    """Both levels exist on their tracks, and on one track the target is above the current."""
    on_track = [lv.key for lv in fw.levels_of(track)]
    if current not in on_track:
        raise UsageError(f"no level '{current}' on track '{track}' (levels: {', '.join(on_track)})")
    on_target = [lv.key for lv in fw.levels_of(target_track)]
    if target not in on_target:
        raise UsageError(
            f"no level '{target}' on track '{target_track}' (levels: {', '.join(on_target)})"
        )
    if track == target_track and on_target.index(target) <= on_track.index(current):
        raise UsageError(f"the target '{target}' is not above the current level '{current}'")
