"""Load YAML and JSON into plain data while remembering the line of every value.

Errors in a framework name a path in the document (`competencies[3].area`); the
source map turns that path back into the line of the file it came from.
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.events import CollectionEndEvent, CollectionStartEvent, NodeEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from upward.engine.issues import FrameworkError, Issue, Loc, error, format_loc, warning
from upward.engine.limits import (
    MAX_ALIAS_NODES,
    MAX_DEPTH,
    MAX_NODES,
    MAX_TEXT_CHARS,
    MAX_YAML_REPAIR_CHARS,
    LimitExceeded,
    check_json_shape,
    size_text,
)

# libyaml composes valid files several times faster, with the same line marks.
_FAST = getattr(yaml, "CSafeLoader", None)


@dataclass
class SourceMap:
    """Line numbers (and, for YAML scalars, the original text) by document path."""

    lines: dict[Loc, int] = field(default_factory=dict)
    raw: dict[Loc, str] = field(default_factory=dict)
    # Only for inputs spread over several files or sheets (a workbook, a ladder set).
    files: dict[Loc, str] = field(default_factory=dict)

    def line_for(self, loc: Loc) -> int | None:
        """The line of `loc`, or of its nearest enclosing value that has one."""
        return _nearest(self.lines, loc)

    def file_for(self, loc: Loc) -> str | None:
        """The file (or sheet) of `loc` when the input has several."""
        return _nearest(self.files, loc)

    def add(self, loc: Loc, line: int | None, file: str | None = None) -> None:
        """Record a line (and file) for a path; the first record wins."""
        if line is not None:
            self.lines.setdefault(loc, line)
        if file is not None:
            self.files.setdefault(loc, file)


def _nearest[T](table: dict[Loc, T], loc: Loc) -> T | None:
    for end in range(len(loc), -1, -1):
        found = table.get(tuple(loc[:end]))
        if found is not None:
            return found
    return None


# YAML ------------------------------------------------------------------------------


def load_yaml(text: str, *, first_line: int = 1) -> tuple[Any, SourceMap, list[Issue]]:
    """Parse YAML into plain data, a source map and warnings for recovered TABs.

    `first_line` is the file line where `text` starts (front matter starts at 2).
    """
    warnings: list[Issue] = []
    if text.strip() and not text.endswith("\n"):
        # YAML cut short often still parses; the missing final line break hints at it.
        last = text.count("\n") + first_line
        msg = "the file does not end with a line break: if it was cut short, content is missing"
        warnings.append(warning("", msg, last))
    text, node = _compose_fixing_tabs(text, first_line, warnings)
    smap = SourceMap()
    if node is None:
        return None, smap, warnings
    builder = _YamlBuilder(smap, first_line)
    try:
        data = builder.build(node, ())
    except RecursionError:  # merge keys (`<<: *a`) chained deeper than Python recurses
        raise too_big("chains merge keys too deeply") from None
    if builder.errors:
        raise FrameworkError(builder.errors, warnings)
    return data, smap, warnings


def _compose_fixing_tabs(
    text: str, first_line: int, warnings: list[Issue]
) -> tuple[str, Node | None]:
    # PyYAML refuses TABs outside scalars. A TAB used as indentation or as a
    # separator has one sensible reading, so we fix the line and say so.
    if _FAST is not None:
        _probe(text, first_line)
        if "\t" not in text:
            try:
                return text, yaml.compose(text, Loader=_FAST)
            except yaml.MarkedYAMLError as exc:
                # The slow parser below words errors consistently; big files keep libyaml's.
                if len(text) > MAX_YAML_REPAIR_CHARS:
                    line = _line_of(exc, first_line)
                    raise FrameworkError([_yaml_error(exc, line)], warnings) from None
            except yaml.YAMLError:
                pass
    read = 0
    for _attempt in range(1000):
        read += len(text)
        if read > MAX_YAML_REPAIR_CHARS:
            msg = (
                f"YAML with TABs or errors is read by a slower parser, up to"
                f" {size_text(MAX_YAML_REPAIR_CHARS)} in all (the limit for one framework file):"
                " replace TABs with spaces and check the syntax"
            )
            raise FrameworkError([error("", msg)], warnings)
        try:
            return text, yaml.compose(text, Loader=yaml.SafeLoader)
        except RecursionError:
            raise too_big(f"nests values more than {MAX_DEPTH} levels deep") from None
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = None if mark is None else mark.line + first_line
            problem = exc.problem or "invalid YAML"
            if mark is not None and "'\\t'" in problem:
                fixed, note = _untab(text, mark.line, mark.column)
                if fixed != text:
                    warnings.append(warning("", note, line))
                    text = fixed
                    continue
            raise FrameworkError([_yaml_error(exc, line)], warnings) from None
        except yaml.YAMLError as exc:  # errors without a mark (reader, encoding)
            raise FrameworkError([error("", f"not valid YAML: {exc}")], warnings) from None
    raise FrameworkError([error("", "too many TAB characters to repair")], warnings)


def _probe(text: str, first_line: int) -> None:
    # Count values and nesting with libyaml (fast, little memory) before composing;
    # TABs read as spaces give the slow parser's shape closely enough to count.
    try:
        _check_events(text.replace("\t", " "), first_line)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in (exc.context or "") + (exc.problem or ""):
            line = _line_of(exc, first_line)
            raise too_big(f"nests values more than {MAX_DEPTH} levels deep", line) from None
    except yaml.YAMLError:
        pass  # composing says what is wrong, and where


def _check_events(text: str, first_line: int) -> None:
    # Composing keeps a heavy object per value; count values and nesting first, cheaply.
    nodes = depth = 0
    assert _FAST is not None
    for event in yaml.parse(text, Loader=_FAST):
        if isinstance(event, NodeEvent):
            nodes += 1
        if isinstance(event, CollectionStartEvent):
            depth += 1
        elif isinstance(event, CollectionEndEvent):
            depth -= 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            line = None if event.start_mark is None else event.start_mark.line + first_line
            what = f"has more than {MAX_NODES:,} values"
            if depth > MAX_DEPTH:
                what = f"nests values more than {MAX_DEPTH} levels deep"
            raise too_big(what, line)


def _line_of(exc: yaml.MarkedYAMLError, first_line: int) -> int | None:
    mark = exc.problem_mark or exc.context_mark
    return None if mark is None else mark.line + first_line


def _yaml_error(exc: yaml.MarkedYAMLError, line: int | None) -> Issue:
    problem = exc.problem or "invalid YAML"
    if "end of the stream" in problem or "found unexpected end" in problem:
        problem += " (is the file truncated?)"
    context = f" {exc.context}" if exc.context else ""
    return error("", f"YAML syntax error{context}: {problem}", line)


def _untab(text: str, line_no: int, column: int) -> tuple[str, str]:
    lines = text.split("\n")
    if line_no >= len(lines):
        return text, ""
    line = lines[line_no]
    indent = len(line) - len(line.lstrip(" \t"))
    if column < indent:
        width = _tab_width(lines[:line_no], line[:indent])
        spaces = line[:indent].expandtabs(width)
        lines[line_no] = spaces + line[indent:]
        note = f"TAB in indentation, read as {len(spaces)} spaces"
    else:
        lines[line_no] = line[:column] + " " + line[column + 1 :]
        note = "TAB between values, read as a space"
    return "\n".join(lines), note


def _tab_width(previous: list[str], whitespace: str) -> int:
    # Pick the tab width that lands on an indentation the file already uses.
    seen = {len(p) - len(p.lstrip(" ")) for p in previous if p.strip()}
    for width in (2, 4, 8):
        if len(whitespace.expandtabs(width)) in seen:
            return width
    return 2


def too_big(what: str, line: int | None = None) -> FrameworkError:
    """The refusal of a parsed file past one of the parsing limits."""
    return FrameworkError([error("", f"the file {what} (the limit for one framework file)", line)])


class _YamlBuilder:
    """Turns composed YAML nodes into plain data, counting what aliases expand to.

    Aliases and merge keys point at nodes composed once; each use is built again,
    so the budgets are counted here, while building, not on the (small) text.
    """

    def __init__(self, smap: SourceMap, first_line: int) -> None:
        self.smap = smap
        self.offset = first_line
        self.loader = yaml.SafeLoader("")
        self.errors: list[Issue] = []
        self.count = 0
        self.repeated = 0
        self.chars = 0
        self.seen: set[int] = set()

    def build(self, node: Node, loc: Loc, depth: int = 0) -> Any:
        line = node.start_mark.line + self.offset
        self._count(node, depth, line)
        self.smap.add(loc, line)
        if isinstance(node, MappingNode):
            return self._mapping(node, loc, depth)
        if isinstance(node, SequenceNode):
            return [self.build(item, (*loc, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, ScalarNode)
        if node.style is None:
            self.smap.raw[loc] = node.value
        return self.loader.construct_object(node, deep=True)

    def _count(self, node: Node, depth: int, line: int) -> None:
        self.count += 1
        if id(node) in self.seen:
            self.repeated += 1
        self.seen.add(id(node))
        if isinstance(node, ScalarNode):
            self.chars += len(node.value)
        if depth > MAX_DEPTH:
            raise too_big(f"nests values more than {MAX_DEPTH} levels deep", line)
        if self.repeated > MAX_ALIAS_NODES:
            raise too_big(f"repeats more than {MAX_ALIAS_NODES:,} values through aliases", line)
        if self.count > MAX_NODES:
            raise too_big(f"has more than {MAX_NODES:,} values", line)
        if self.chars > MAX_TEXT_CHARS:
            raise too_big(f"has more than {MAX_TEXT_CHARS:,} characters of text", line)

    def _mapping(self, node: MappingNode, loc: Loc, depth: int) -> dict[str, Any]:
        self.loader.flatten_mapping(node)  # resolves `<<` merge keys
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + self.offset
            if not isinstance(key_node, ScalarNode):
                self.errors.append(error(_path(loc), "a mapping key must be plain text", line))
                continue
            # The key's own text: `1.10:` stays "1.10", `yes:` stays "yes".
            key = key_node.value
            if key in out:
                msg = f"duplicate key '{key}'"
                self.errors.append(error(_path((*loc, key)), msg, line))
                continue
            self.smap.add((*loc, key), line)
            out[key] = self.build(value_node, (*loc, key), depth + 1)
        return out


def _path(loc: Loc) -> str:
    return format_loc(loc)


# JSON ------------------------------------------------------------------------------

_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_WS_RUN = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()  # parses one string at a time, escapes and all


def load_json(text: str) -> tuple[Any, SourceMap, list[Issue]]:
    """Parse JSON into plain data and a source map; trailing commas are forgiven."""
    try:
        check_json_shape(text)
    except LimitExceeded as exc:
        raise too_big(str(exc)) from None
    parser = _JsonParser(text)
    data = parser.document()
    if parser.errors:
        raise FrameworkError(parser.errors, parser.warnings)
    return data, parser.smap, parser.warnings


class _JsonParser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.smap = SourceMap()
        self.errors: list[Issue] = []
        self.warnings: list[Issue] = []
        self.count = 0
        self.chars = 0

    def line(self, pos: int | None = None) -> int:
        return bisect.bisect_right(self.starts, self.pos if pos is None else pos)

    def fail(self, message: str) -> FrameworkError:
        if self.pos >= len(self.text):
            message = f"{message}: unexpected end of file (is the file truncated?)"
        return FrameworkError([error("", f"JSON syntax error: {message}", self.line())])

    def skip(self) -> None:
        self.pos = _WS_RUN.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def peek(self) -> str:
        self.skip()
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def document(self) -> Any:
        if self.text.startswith("\ufeff"):
            self.pos = 1
        value = self.value((), 0)
        if self.peek():
            raise self.fail(f"unexpected text after the document: {self.text[self.pos]!r}")
        return value

    def value(self, loc: Loc, depth: int) -> Any:
        self.count += 1
        if depth > MAX_DEPTH:
            raise too_big(f"nests values more than {MAX_DEPTH} levels deep", self.line())
        if self.count > MAX_NODES:
            raise too_big(f"has more than {MAX_NODES:,} values", self.line())
        char = self.peek()
        self.smap.add(loc, self.line())
        if char == "{":
            return self.obj(loc, depth)
        if char == "[":
            return self.array(loc, depth)
        if char == '"':
            return self.string()
        for word, result in (("true", True), ("false", False), ("null", None)):
            if self.text.startswith(word, self.pos):
                self.pos += len(word)
                return result
        match = _NUMBER.match(self.text, self.pos)
        if match and match.group():
            self.pos = match.end()
            number = match.group()
            return float(number) if any(c in number for c in ".eE") else int(number)
        raise self.fail(f"expected a value, found {char!r}" if char else "expected a value")

    def string(self) -> str:
        try:
            result, self.pos = _DECODER.raw_decode(self.text, self.pos)
        except json.JSONDecodeError as exc:
            self.pos = exc.pos
            raise self.fail(_string_problem(exc.msg)) from None
        self.chars += len(result)
        if self.chars > MAX_TEXT_CHARS:
            raise too_big(f"has more than {MAX_TEXT_CHARS:,} characters of text", self.line())
        return str(result)

    def obj(self, loc: Loc, depth: int) -> dict[str, Any]:
        self.pos += 1
        out: dict[str, Any] = {}
        while self.peek() != "}":
            if self.peek() != '"':
                raise self.fail("expected a quoted key or '}'")
            key_line = self.line()
            key = self.string()
            if self.peek() != ":":
                raise self.fail(f"expected ':' after key {key!r}")
            self.pos += 1
            if key in out:
                self.errors.append(error(_path((*loc, key)), f"duplicate key '{key}'", key_line))
            self.smap.add((*loc, key), key_line)
            value = self.value((*loc, key), depth + 1)
            out.setdefault(key, value)
            if not self.comma("}"):
                break
        if self.peek() != "}":
            raise self.fail("expected ',' or '}'")
        self.pos += 1
        return out

    def array(self, loc: Loc, depth: int) -> list[Any]:
        self.pos += 1
        out: list[Any] = []
        while self.peek() != "]":
            out.append(self.value((*loc, len(out)), depth + 1))
            if not self.comma("]"):
                break
        if self.peek() != "]":
            raise self.fail("expected ',' or ']'")
        self.pos += 1
        return out

    def comma(self, closer: str) -> bool:
        """Consume a comma; True when another member follows."""
        if self.peek() != ",":
            return False
        line = self.line()
        self.pos += 1
        if self.peek() == closer:
            self.warnings.append(warning("", "trailing comma ignored", line))
            return False
        return True


def _string_problem(msg: str) -> str:
    if msg.startswith("Unterminated string"):
        return "a text that never ends: unexpected end of file (is the file truncated?)"
    if msg.startswith("Invalid control character"):
        return "a line break or control character inside a text"
    return msg.removesuffix(" starting at").removesuffix(" at").lower()
