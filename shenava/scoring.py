"""Streaming JSONL/CSV scoring behind ``shenava score`` (the I/O half; nlp/ stays pure).

Records are read lazily and analysed ``batch_size`` at a time, so memory stays flat whatever the
file size. Output to a file goes to ``OUT.part`` first and is renamed only when the whole input
was read: a run that stops on a malformed line never leaves a plausible-looking partial OUT.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import math
import os
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from domain.analysis import MentionAnalysis

#: CSV fields may be long posts; the csv module's default limit (128 KiB) is too small.
CSV_FIELD_LIMIT = 16 * 1024 * 1024


class ScoreError(Exception):
    """A problem the user must fix; ``exit_code`` 1 for bad data, 2 for bad usage."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


class BadLine(Exception):
    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"line {line}: {reason}")
        self.line = line


@dataclass
class ScoreReport:
    written: int = 0
    skipped: int = 0
    skipped_lines: list[int] = field(default_factory=list)


@dataclass(frozen=True)
class Record:
    line: int
    data: dict[str, Any]


def _check_text(line: int, data: Any) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise BadLine(line, f"expected a JSON object, got {type(data).__name__}")
    if "text" not in data:
        raise BadLine(line, 'no "text" field')
    if not isinstance(data["text"], str):
        raise BadLine(line, f'"text" must be a string, got {type(data["text"]).__name__}')
    return data


def read_jsonl(stream: IO[bytes]) -> Iterator[Record | BadLine]:
    for number, raw in enumerate(stream, start=1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            yield BadLine(number, f"not UTF-8 ({exc.reason} at byte {exc.start})")
            continue
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except (json.JSONDecodeError, RecursionError) as exc:
            reason = exc.msg if isinstance(exc, json.JSONDecodeError) else "nested too deeply"
            yield BadLine(number, f"not valid JSON ({reason})")
            continue
        try:
            yield Record(number, _check_text(number, data))
        except BadLine as bad:
            yield bad


def read_csv(stream: IO[bytes]) -> Iterator[Record | BadLine]:
    csv.field_size_limit(CSV_FIELD_LIMIT)
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="")
    reader = csv.reader(text)
    try:
        header = next(reader)
    except StopIteration:
        return
    except csv.Error as exc:
        raise ScoreError(f"line 1: unreadable CSV header ({exc})") from None
    if "text" not in header:
        raise ScoreError(f"line 1: the CSV header has no 'text' column (columns: {', '.join(header)[:200]})")
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            yield BadLine(start, f"unreadable CSV ({exc})")
            start = reader.line_num + 1
            continue
        line, start = start, reader.line_num + 1
        if not row or (len(row) == 1 and not row[0].strip() and len(header) > 1):
            continue
        if len(row) != len(header):
            yield BadLine(line, f"{len(row)} fields where the header has {len(header)}")
            continue
        yield Record(line, dict(zip(header, row, strict=True)))


def _as_int(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _metrics(data: dict[str, Any]) -> dict[str, int]:
    source = data.get("metrics") if isinstance(data.get("metrics"), dict) else data
    out = {}
    for key in (
        "likes",
        "like_count",
        "retweets",
        "retweet_count",
        "shares",
        "replies",
        "reply_count",
        "comments",
    ):
        value = _as_int(source.get(key))
        if value is not None:
            out[key] = value
    return out


def result_fields(analysis: MentionAnalysis) -> dict[str, Any]:
    """The fields ``shenava score`` adds to each record (the exact contract)."""
    sentiment = analysis.sentiment
    return {
        "lang": analysis.lang,
        "sentiment": {
            "label": sentiment.label,
            "score": round(float(sentiment.score), 6),
            "probs": {
                k: round(float(sentiment.probs.get(k, 0.0)), 6) for k in ("negative", "neutral", "positive")
            },
        },
        "aspects": list(analysis.aspects),
        "urgency": round(float(analysis.urgency), 4),
    }


# Characters str.splitlines() (and some JSONL readers) treat as line breaks; JSON allows them raw
# inside strings, so they are escaped to keep exactly one record per line for every reader.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _dumps(data: dict[str, Any]) -> bytes:
    try:
        return (json.dumps(data, ensure_ascii=False).translate(_LINE_BREAKS) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate from a "\ud800" escape in the input: keep it, escaped, as it came.
        return (json.dumps(data, ensure_ascii=True) + "\n").encode("ascii")


def _detect_format(path: str, stream: IO[bytes], requested: str) -> str:
    if requested in ("jsonl", "csv"):
        return requested
    if requested != "auto":
        raise ScoreError(f"--format must be auto, jsonl or csv (got {requested!r})", exit_code=2)
    suffix = Path(path).suffix.lower() if path != "-" else ""
    if suffix == ".csv":
        return "csv"
    if suffix in (".jsonl", ".json", ".ndjson"):
        return "jsonl"
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return "jsonl" if not stripped or stripped[:1] in (b"{", b"[", b'"') else "csv"


def build_analyzer(config: str | None) -> Any:
    """The analyzer for ``config`` (default: the usual lookup); with no configuration file
    anywhere, the embedded defaults: no brands, default lexicons, the bundled model."""
    from config.loader import ConfigError, config_path, load_settings
    from nlp.analyzer import Analyzer

    if config is None and not config_path().is_file():
        from alerts.settings import UrgencySettings
        from nlp.sentiment import load_sentiment_model
        from nlp.settings import NlpSettings

        nlp = NlpSettings()
        return Analyzer(
            load_sentiment_model(nlp.sentiment), nlp_settings=nlp, crisis_words=UrgencySettings().crisis_words
        )
    try:
        settings = load_settings(config)
    except ConfigError as exc:
        raise ScoreError(str(exc), exit_code=2) from None
    return Analyzer.from_settings(settings)


@contextlib.contextmanager
def _open_input(path: str) -> Iterator[IO[bytes]]:
    if path == "-":
        stream = sys.stdin.buffer
        # peek() lets the format be sniffed without consuming input; test runners' stdin lacks it.
        yield stream if hasattr(stream, "peek") else io.BufferedReader(stream)  # type: ignore[arg-type]
        return
    try:
        handle = open(path, "rb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ScoreError(f"cannot read {path}: {exc.strerror}", exit_code=2) from None
    with handle:
        yield handle


@contextlib.contextmanager
def _open_output(path: str) -> Iterator[IO[bytes]]:
    if path == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = Path(path)
    part = target.with_name(target.name + ".part")
    try:
        handle = open(part, "wb")  # noqa: SIM115 - closed below
    except OSError as exc:
        raise ScoreError(f"cannot write {path}: {exc.strerror}", exit_code=2) from None
    try:
        with handle:
            yield handle
        os.replace(part, target)
    finally:
        if part.exists():
            part.unlink()


def run_score(
    input_path: str,
    output_path: str,
    *,
    input_format: str = "auto",
    skip_bad: bool = False,
    batch_size: int = 256,
    config: str | None = None,
    analyzer: Any = None,
) -> ScoreReport:
    """Score ``input_path`` into ``output_path``; raises ``ScoreError`` (nothing renamed into place)."""
    from nlp.analyzer import TextInput

    if analyzer is None:
        analyzer = build_analyzer(config)
    report = ScoreReport()
    with _open_input(input_path) as source, _open_output(output_path) as sink:
        fmt = _detect_format(input_path, source, input_format)
        records = read_csv(source) if fmt == "csv" else read_jsonl(source)
        batch: list[Record] = []

        def flush() -> None:
            inputs = [
                TextInput(
                    text=r.data["text"],
                    followers=_as_int(r.data.get("author_followers", r.data.get("followers"))),
                    metrics=_metrics(r.data),
                )
                for r in batch
            ]
            for record, analysis in zip(batch, analyzer.analyze_inputs(inputs), strict=True):
                sink.write(_dumps({**record.data, **result_fields(analysis)}))
            report.written += len(batch)
            batch.clear()

        for item in records:
            if isinstance(item, BadLine):
                if not skip_bad:
                    raise ScoreError(str(item))
                report.skipped += 1
                report.skipped_lines.append(item.line)
                continue
            batch.append(item)
            if len(batch) >= batch_size:
                flush()
        if batch:
            flush()
    return report
