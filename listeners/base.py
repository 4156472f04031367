"""The one interface every listener implements.

A listener reads from its source *after* the checkpoint it is given and yields batches
(``domain.checkpoint.ListenerBatch``). Each batch carries the checkpoint that covers it: storage
commits the batch's mentions and that checkpoint in one transaction, so a crash between batches
loses nothing and repeats nothing. The records and errors live in ``domain``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from domain.checkpoint import Checkpoint, ListenerBatch


class Listener(ABC):
    """A source of mentions. Concrete listeners are mostly declarations."""

    #: registry name, also the ``source`` of the mentions it yields
    source: ClassVar[str]

    def __init__(self, key: str) -> None:
        #: unique per configured target, e.g. ``x:search:digikala``; names its checkpoint
        self.key = key

    @abstractmethod
    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        """Yield batches of mentions newer than ``checkpoint`` (None: first run).

        Must never yield a mention at or before the checkpoint; raises ``ListenerError``.
        """
