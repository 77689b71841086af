"""Read object literals out of a JavaScript (Flow) module without running it.

A tolerant tokenizer plus a parser for the literal subset: objects, arrays,
strings, numbers, true/false/null, trailing commas. Everything else in the file
(types, functions, imports) is skipped by looking for `const NAME ... =`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from upward.engine.issues import FrameworkError, error
from upward.engine.limits import MAX_DEPTH

_TOKEN = re.compile(
    r"""
    (?P<ws>\s+)
    | (?P<comment>//[^\n]*)
    | (?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')
    | (?P<template>`(?:[^`\\]|\\.)*`)
    | (?P<number>-?(?:0[xX][0-9a-fA-F]+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?))
    | (?P<name>[A-Za-z_$][\w$]*)
    | (?P<punct>=>|===|!==|==|!=|<=|>=|&&|\|\||\.\.\.|[{}\[\]().,;:=<>?|&!+\-*/%~^@\#])
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    """One token and the line it starts on."""

    kind: str
    text: str
    line: int


def tokenize(source: str) -> list[Token]:
    """Split JavaScript into tokens; an unterminated string or comment is an error."""
    tokens: list[Token] = []
    pos, line = 0, 1
    while pos < len(source):
        if source.startswith("/*", pos):
            # Found by a search, not a lazy pattern: that one rescans the rest of
            # the file from every `/*` that is never closed.
            end = source.find("*/", pos + 2)
            if end < 0:
                raise FrameworkError([error("", "JavaScript: a comment that never ends", line)])
            line += source.count("\n", pos, end)
            pos = end + 2
            continue
        match = _TOKEN.match(source, pos)
        if match is None:
            char = source[pos]
            if char in "\"'`/":
                message = "JavaScript: a string or comment that never ends"
            else:
                message = f"JavaScript: unexpected character {char!r}"
            raise FrameworkError([error("", message, line)])
        kind = match.lastgroup or ""
        text = match.group()
        if kind not in ("ws", "comment"):
            tokens.append(Token(kind, text, line))
        line += text.count("\n")
        pos = match.end()
    return tokens


class Parser:
    """Finds `const NAME = <literal>` declarations and parses their values."""

    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.pos = 0
        self.lines: dict[tuple[str | int, ...], int] = {}

    def find_const(self, name: str) -> int | None:
        """Index of the first token of the value assigned to `const name`, if any."""
        for i in range(len(self.tokens) - 1):
            t = self.tokens[i]
            if t.text in ("const", "let", "var") and self.tokens[i + 1].text == name:
                return self._skip_type(i + 2)
        return None

    def _skip_type(self, i: int) -> int | None:
        # `const tracks: Tracks = {...}`: skip the Flow annotation up to `=`.
        depth = 0
        while i < len(self.tokens):
            text = self.tokens[i].text
            if text in "([{<":
                depth += 1
            elif text in ")]}>":
                depth -= 1
            elif text == "=" and depth <= 0:
                return i + 1
            elif text == ";" and depth <= 0:
                return None
            i += 1
        return None

    def literal_at(self, index: int, root: tuple[str | int, ...] = ()) -> Any:
        """Parse the literal starting at token `index`."""
        self.pos = index
        return self._value(root)

    def line(self) -> int:
        """The line of the current token (or of the last one at the end)."""
        if not self.tokens:
            return 1
        return self.tokens[min(self.pos, len(self.tokens) - 1)].line

    def _fail(self, message: str) -> FrameworkError:
        if self.pos >= len(self.tokens):
            message += ": the file ends here (is it truncated?)"
        return FrameworkError([error("", f"JavaScript: {message}", self.line())])

    def _next(self) -> Token:
        if self.pos >= len(self.tokens):
            raise self._fail("expected a value")
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def _peek(self) -> str:
        return self.tokens[self.pos].text if self.pos < len(self.tokens) else ""

    def _value(self, loc: tuple[str | int, ...]) -> Any:
        if len(loc) > MAX_DEPTH:
            raise self._fail("the literal is nested too deeply")
        self.lines.setdefault(loc, self.line())
        token = self._next()
        if token.text == "{":
            return self._object(loc)
        if token.text == "[":
            return self._array(loc)
        if token.kind == "string":
            return _string(token)
        if token.kind == "number":
            return _number(token.text)
        if token.text in ("true", "false", "null", "undefined"):
            return {"true": True, "false": False}.get(token.text)
        if token.text == "-" and self._peek() and self.tokens[self.pos].kind == "number":
            return -_number(self._next().text)
        self.pos -= 1
        raise self._fail(f"expected a literal value, found {token.text!r}")

    def _object(self, loc: tuple[str | int, ...]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        if self._peek() == "|":  # Flow exact object `{| ... |}`
            self.pos += 1
        while self._peek() not in ("}", "|"):
            key_token = self._next()
            if key_token.kind == "string":
                key = _string(key_token)
            elif key_token.kind in ("name", "number"):
                key = key_token.text
            else:
                self.pos -= 1
                raise self._fail(f"expected a property name, found {key_token.text!r}")
            if self._next().text != ":":
                self.pos -= 1
                raise self._fail(f"expected ':' after {key!r}")
            self.lines.setdefault((*loc, key), key_token.line)
            out[key] = self._value((*loc, key))
            if self._peek() != ",":
                break
            self.pos += 1
        if self._peek() == "|":
            self.pos += 1
        if self._next().text != "}":
            self.pos -= 1
            raise self._fail("expected ',' or '}'")
        return out

    def _array(self, loc: tuple[str | int, ...]) -> list[Any]:
        out: list[Any] = []
        while self._peek() != "]":
            out.append(self._value((*loc, len(out))))
            if self._peek() != ",":
                break
            self.pos += 1
        if self._next().text != "]":
            self.pos -= 1
            raise self._fail("expected ',' or ']'")
        return out


def _string(token: Token) -> str:
    body = token.text[1:-1]
    if token.text[0] == "'":
        # JSON has no single quotes: swap the escapes before decoding.
        body = body.replace("\\'", "'").replace('"', '\\"')
    try:
        return str(json.loads(f'"{body}"'))
    except json.JSONDecodeError:
        return body


def _number(text: str) -> int | float:
    if text.lower().startswith(("0x", "-0x")):
        return int(text, 16)
    value = float(text)
    return (
        int(value) if value.is_integer() and "." not in text and "e" not in text.lower() else value
    )
