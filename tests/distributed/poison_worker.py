"""``shenava worker`` whose model dies on one text: a stand-in for a mention that crashes the model
(a tokenizer segfault, an out-of-memory kill). Every pool process that analyses a mention holding
``POISON`` SIGKILLs itself, every time, so without a delivery limit its batch would come back
forever.

    python -m tests.distributed.poison_worker worker --queues nlp …   (same arguments as shenava)
"""

from __future__ import annotations

import os
import signal
from collections.abc import Sequence
from typing import Any

POISON = "☠POISON☠"


def _patch() -> None:
    from nlp.analyzer import Analyzer

    real = Analyzer.analyze

    def analyze(self: Analyzer, mentions: Sequence[Any]) -> Any:
        if any(POISON in (m.text or "") for m in mentions):
            os.kill(os.getpid(), signal.SIGKILL)
        return real(self, mentions)

    Analyzer.analyze = analyze  # type: ignore[method-assign]


if __name__ == "__main__":
    _patch()
    from shenava.cli import main

    main()
