"""Sending mail after a write has committed.

Mail goes out once the transaction commits, so the object it is about is already
stored: a mail server that is down, or a header it refuses, must not turn that
stored object into an error page. Senders are wrapped in `logged_failures`, and
subjects pass through `header_text`.
"""

from __future__ import annotations

import functools
import logging
import unicodedata
from collections.abc import Callable

logger = logging.getLogger(__name__)


def header_text(text: str) -> str:
    """`text` as one header line: control characters and line breaks become single spaces."""
    spaced = "".join(" " if unicodedata.category(ch)[0] in "CZ" else ch for ch in text)
    return " ".join(spaced.split())


def logged_failures[**P](send: Callable[P, None]) -> Callable[P, None]:
    """Make `send` log and swallow its failures instead of raising them."""

    @functools.wraps(send)
    def sender(*args: P.args, **kwargs: P.kwargs) -> None:
        try:
            send(*args, **kwargs)
        except Exception:
            logger.exception("Sending mail failed in %s", send.__qualname__)

    return sender
