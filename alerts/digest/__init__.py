"""The daily and weekly marketing digest: HTML with Jalali dates, sent by e-mail; Persian and right to
left by default, English by `digest.language` (`alerts.digest.words`).

``make_digest`` builds and renders one; ``write_digest``/``send_digest`` deliver it;
``alerts.digest.schedule.register_digest_jobs`` schedules it.
"""

from alerts.digest.period import DigestPeriod
from alerts.digest.service import DigestNotConfigured, RenderedDigest, make_digest, send_digest, write_digest

__all__ = [
    "DigestNotConfigured",
    "DigestPeriod",
    "RenderedDigest",
    "make_digest",
    "send_digest",
    "write_digest",
]
