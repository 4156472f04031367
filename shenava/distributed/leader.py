"""The cluster's one scheduler: a PostgreSQL session advisory lock held by the live beat.

The lock lives as long as the beat's database connection: a second beat started by mistake
fails to take it and sends nothing; when the first dies (or its connection is cut) PostgreSQL
releases the lock and the second takes over within one tick. A leader checks its connection
every tick and steps down the moment the connection is gone.
"""

from __future__ import annotations

import logging

from sqlalchemy import Connection, Engine, text

log = logging.getLogger("shenava.beat")


class LeaderLock:
    def __init__(self, engine: Engine, name: str) -> None:
        self.engine = engine
        self.name = name
        self._conn: Connection | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None

    def refresh(self) -> bool:
        """Keep the lock (checking the connection still lives) or try to take it; True when held."""
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1")).scalar()
                return True
            except Exception as exc:
                log.warning("beat lost its database connection (%s): not the leader", type(exc).__name__)
                self._drop()
        try:
            conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
        except Exception as exc:
            log.warning("beat cannot reach the database (%s)", type(exc).__name__)
            return False
        try:
            got = conn.execute(text("SELECT pg_try_advisory_lock(hashtext(:n))"), {"n": self.name}).scalar()
        except Exception:
            conn.invalidate()
            conn.close()
            return False
        if got:
            log.info("beat is the leader (%s)", self.name)
            self._conn = conn
            return True
        conn.close()
        return False

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.invalidate()
                self._conn.close()
            except Exception:
                pass
            self._conn = None

    def release(self) -> None:
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT pg_advisory_unlock(hashtext(:n))"), {"n": self.name})
                self._conn.close()
            except Exception:
                pass
            self._conn = None
