"""Subprocess entry: ``python -m listeners.web.crawl`` reads one job (JSON) on stdin, crawls it with
scrapy and writes one JSON record per line on stdout.

Scrapy's Twisted reactor cannot be restarted inside a process, and a crawl must not block the
service's scheduler, so every crawl runs here, in its own short-lived process.
"""

from __future__ import annotations

import json
import sys
from typing import Any


def scrapy_settings(job: dict[str, Any]) -> dict[str, Any]:
    policy = job["policy"]
    return {
        "USER_AGENT": policy["user_agent"],
        "ROBOTSTXT_OBEY": policy["obey_robots"],
        "ROBOTSTXT_USER_AGENT": policy["user_agent"],
        "AUTOTHROTTLE_ENABLED": True,
        "AUTOTHROTTLE_START_DELAY": policy["download_delay"],
        "AUTOTHROTTLE_TARGET_CONCURRENCY": policy["autothrottle_target"],
        "DOWNLOAD_DELAY": policy["download_delay"],
        "CONCURRENT_REQUESTS_PER_DOMAIN": policy["concurrency_per_domain"],
        "DOWNLOAD_TIMEOUT": policy["timeout_seconds"],
        "RETRY_TIMES": policy["retries"],
        # 429 is not retried here: it is reported with its Retry-After so the scheduler waits.
        "RETRY_HTTP_CODES": [500, 502, 503, 504, 522, 524, 408],
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        "LOG_ENABLED": True,
        "LOG_LEVEL": "ERROR",
        "LOG_FILE": None,
        "DOWNLOAD_MAXSIZE": 20 * 1024 * 1024,
        "ITEM_PIPELINES": {},
    }


def main() -> int:
    job = json.loads(sys.stdin.read())
    from scrapy.crawler import CrawlerProcess
    from scrapy.signals import item_scraped

    from listeners.web.spiders import SPIDERS

    out = sys.stdout

    def emit(item: dict[str, Any], **_: Any) -> None:
        out.write(json.dumps(item, ensure_ascii=False) + "\n")
        out.flush()

    process = CrawlerProcess(settings=scrapy_settings(job), install_root_handler=True)
    crawler = process.create_crawler(SPIDERS[job["kind"]])
    crawler.signals.connect(emit, signal=item_scraped)
    process.crawl(crawler, job=job)
    process.start()
    emit({"type": "finished", "pages": getattr(crawler.spider, "pages", 0)})
    return 0


if __name__ == "__main__":
    sys.exit(main())
