"""The one interface every listener implements.

A listener reads from its source *after* the checkpoint it is given and yields batches
(``domain.checkpoint.ListenerBatch``). Each batch carries the checkpoint that covers it: storage
commits the batch's mentions and that checkpoint in one transaction, so a crash between batches
loses nothing and repeats nothing. The records and errors live in ``domain``.

What the service reads of a listener is declared here, never looked up by name: ``key``,
``source``, ``fetch``, ``from_settings``, ``interval_seconds`` and ``exhausted``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterator
from typing import ClassVar

from domain.checkpoint import Checkpoint, ListenerBatch
from domain.errors import NotConfigured
from listeners.settings import ListenerSettingsView


class Listener(ABC):
    """A source of mentions. Concrete listeners are mostly declarations."""

    #: registry name, also the ``source`` of the mentions it yields
    source: ClassVar[str]

    #: how often the scheduler runs this listener, in seconds; ``None`` (the default) leaves it to
    #: the ``interval_seconds`` of the listener's ``sources`` section, else a minute. Listeners
    #: built from settings copy their section's value here.
    interval_seconds: float | None = None

    def __init__(self, key: str) -> None:
        #: unique per configured target, e.g. ``x:search:digikala``; names its checkpoint
        self.key = key

    @classmethod
    def from_settings(cls, settings: ListenerSettingsView) -> list[Listener]:
        """One listener per configured target, each with its own ``key`` (and so checkpoint).

        Raises ``NotConfigured``, with a message that says what to set, when the source lacks
        what it needs (credentials, targets) or is switched off. The default is for listeners
        that are never configured (built in code, e.g. by tests): it always raises.
        """
        raise NotConfigured(f"the {cls.source} listener is not built from settings")

    @property
    def exhausted(self) -> bool | None:
        """Whether a source with an end (a file replay) has handed out everything.

        ``None`` (the default) for a live source, which never ends: the service counts it idle
        once it has run. A finite source returns ``False`` until its last item is out.
        """
        return None

    @abstractmethod
    def fetch(self, checkpoint: Checkpoint | None) -> Iterator[ListenerBatch]:
        """Yield batches of mentions newer than ``checkpoint`` (None: first run).

        Must never yield a mention at or before the checkpoint; raises ``ListenerError``.
        """
