"""What other apps may listen to: the signals about a person changed.

Writes that store signals without `save` (bulk_create) `announce` the people whose
signals changed; `signals_changed` is sent once their transaction commits, one send
per organization with every person announced in that transaction.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable

import django.dispatch
from django.db import DEFAULT_DB_ALIAS, connections, transaction

logger = logging.getLogger(__name__)

# Sent with organization_id: int and subject_ids: frozenset[int], after the commit.
signals_changed = django.dispatch.Signal()


class Batched:
    """People collected by organization while a transaction runs, handed to `flush`
    once, when it commits (at once outside a transaction).

    One callback per transaction, however many people are added. People collected
    for a transaction that was rolled back (its callback went with it) are dropped."""

    def __init__(self, flush: Callable[[int, frozenset[int]], object]) -> None:
        self._flush = flush
        self._local = threading.local()

    def add(self, organization_id: int, user_ids: Iterable[int]) -> None:
        ids = {int(pk) for pk in user_ids}
        if not ids:
            return
        waiting = self._waiting()
        if not waiting:
            self._local.pending = {}
        self._local.pending.setdefault(organization_id, set()).update(ids)
        if not waiting:

            def run() -> None:
                self.run()

            self._local.callback = run
            transaction.on_commit(run)

    def _waiting(self) -> bool:
        """This transaction's callback is registered and has not run yet."""
        callback = getattr(self._local, "callback", None)
        connection = connections[DEFAULT_DB_ALIAS]
        return (
            callback is not None
            and connection.in_atomic_block
            and any(entry[1] is callback for entry in connection.run_on_commit)
        )

    def run(self) -> None:
        """Flush every pending organization now."""
        pending: dict[int, set[int]] = getattr(self._local, "pending", {})
        self._local.callback, self._local.pending = None, {}
        for organization_id, ids in sorted(pending.items()):
            try:
                self._flush(organization_id, frozenset(ids))
            except Exception:  # the transaction is committed: log, and go on with the others
                logger.exception(
                    "Work after the commit failed for organization %s", organization_id
                )


def _send(organization_id: int, subject_ids: frozenset[int]) -> None:
    signals_changed.send(sender=None, organization_id=organization_id, subject_ids=subject_ids)


_announced = Batched(_send)


def announce(organization_id: int, subject_ids: Iterable[int]) -> None:
    """Tell listeners, once the transaction commits, that these people's signals in
    the organization changed."""
    _announced.add(organization_id, subject_ids)
