"""Running one crawl job in a subprocess and reading its JSON-lines output."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from domain.errors import ListenerError
from listeners.settings import WebSettings

log = logging.getLogger(__name__)
REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class CrawlResult:
    items: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    done: dict[str, Any] = field(default_factory=dict)


def item_time(item: dict[str, Any]) -> datetime:
    """When a crawled item was published. An undated item is dated when first seen: the
    listener's seen-ids checkpoint keeps that stable."""
    return datetime.fromisoformat(item["date"]) if item.get("date") else datetime.now(UTC)


def policy_of(settings: WebSettings) -> dict[str, Any]:
    return {
        "user_agent": settings.user_agent,
        "obey_robots": settings.obey_robots,
        "download_delay": settings.download_delay,
        "autothrottle_target": settings.autothrottle_target,
        "concurrency_per_domain": settings.concurrency_per_domain,
        "timeout_seconds": settings.http.timeout_seconds,
        "retries": settings.http.retries,
    }


def run_crawl(job: dict[str, Any], settings: WebSettings, what: str) -> CrawlResult:
    """Crawl ``job`` in a fresh process; raise ListenerError if the crawl itself broke down."""
    job = {**job, "policy": policy_of(settings)}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(REPO_ROOT), os.environ.get("PYTHONPATH", "")])}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "listeners.web.crawl"],
            input=json.dumps(job),
            capture_output=True,
            text=True,
            encoding="utf-8",
            timeout=settings.crawl_timeout_seconds,
            env=env,
            cwd=REPO_ROOT,
            check=False,
        )
    except subprocess.TimeoutExpired as err:
        raise ListenerError("unavailable", f"{what}: crawl did not finish in {err.timeout:.0f} s") from err
    result = CrawlResult()
    finished = False
    for line in proc.stdout.splitlines():
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            log.debug("%s: non-JSON line from the crawler: %.200s", what, line)
            continue
        kind = record.get("type")
        if kind == "item":
            result.items.append(record["item"])
        elif kind == "error":
            result.errors.append(record)
        elif kind == "done":
            result.done = record
        elif kind == "finished":
            finished = True
    if proc.returncode != 0 or not finished:
        tail = (proc.stderr or "").strip().splitlines()[-3:]
        raise ListenerError(
            "unavailable", f"{what}: crawler exited with {proc.returncode}: {' | '.join(tail)}"
        )
    return result


def raise_first_error(result: CrawlResult, what: str) -> None:
    if result.errors:
        first = result.errors[0]
        raise ListenerError(
            first["kind"], f"{what}: {first['message']}", retry_after=first.get("retry_after")
        )
