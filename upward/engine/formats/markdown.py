"""Write a framework as readable Markdown: competencies first, then each level."""

from __future__ import annotations

import re

from upward.engine.framework import FrameworkDocument

# `~` and backticks open code fences (and `~~` strikes through); `|` splits table cells.
_SPECIAL = re.compile(r"([\\`*_\[\]<>~|])")
# Spaces and tabs only: `\s*` would cross line breaks and rescan every blank line.
_LINE_START = re.compile(r"^([ \t]*)([#>+=-]|\d+\.)", re.MULTILINE)


def md(text: str) -> str:
    """Text made inert for Markdown: no markup, links or raw HTML from the content."""
    return _LINE_START.sub(lambda m: f"{m.group(1)}\\{m.group(2)}", _SPECIAL.sub(r"\\\1", text))


def write(framework: FrameworkDocument) -> str:
    """The whole framework as one Markdown document."""
    fw = framework
    out = [f"# {md(fw.name)}", ""]
    if fw.description:
        out += [md(fw.description.strip()), ""]
    if fw.attribution:
        source = fw.attribution
        parts = [md(source.source), md(source.url), md(source.licence)]
        out += ["Source: " + ", ".join(p for p in parts if p), ""]
    out += _competencies(fw)
    for track in fw.tracks:
        out += [f"## Track: {md(track.name)}", ""]
        if track.description:
            out += [md(track.description.strip()), ""]
        for level in fw.levels_of(track.key):
            out += _level(fw, level.key)
    if fw.level_rule is not None:
        out += _rule(fw)
    return "\n".join(out).rstrip() + "\n"


def _competencies(fw: FrameworkDocument) -> list[str]:
    out = ["## Competencies", ""]
    for area in fw.areas:
        out += [f"### {md(area.name)}", ""]
        if area.description:
            out += [md(area.description.strip()), ""]
        for c in (c for c in fw.competencies if c.area == area.key):
            weight = f", weight {c.weight:g}" if c.weight != 1 else ""
            out.append(
                f"- **{md(c.name)}** ({c.kind}{weight})"
                + (f": {md(c.description.strip())}" if c.description else "")
            )
            for step in c.scale:
                text = f": {md(step.description.strip())}" if step.description else ""
                out.append(f"    - {md(step.name)}{text}")
        out.append("")
    return out


def _level(fw: FrameworkDocument, key: str) -> list[str]:
    level = fw.level(key)
    out = [f"### {md(level.label)}", ""]
    if level.summary:
        out += [md(level.summary.strip()), ""]
    for e in fw.expectations_at(key):
        c = fw.competency(e.competency)
        step = next((s.name for s in c.scale if s.key == e.step), "")
        extra = ", ".join(x for x in (md(step), "optional" if e.optional else "") if x)
        out.append(f"#### {md(c.name)}" + (f" ({extra})" if extra else ""))
        out.append("")
        if e.summary:
            out += [md(e.summary.strip()), ""]
        for title, items in (("Signals", e.signals), ("Examples", e.examples)):
            if items:
                out += [f"{title}:", "", *(f"- {md(i)}" for i in items), ""]
    return out


def _rule(fw: FrameworkDocument) -> list[str]:
    rule = fw.level_rule
    assert rule is not None
    out = ["## Levels from points", "", "| from points | level |", "| ---: | --- |"]
    out += [f"| {t.min_points} | {md(fw.level(t.level).label)} |" for t in rule.thresholds]
    out += ["", "| title | points |", "| --- | --- |"]
    for t in rule.titles:
        band = f"{t.min_points}+" if t.max_points is None else f"{t.min_points}-{t.max_points}"
        out.append(f"| {md(t.title)} | {band} |")
    steps = ", ".join(f"{md(k)}: {v}" for k, v in rule.step_points.items())
    return [*out, "", f"Points per step: {steps}", ""]
