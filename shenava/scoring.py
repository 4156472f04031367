"""Streaming JSONL/CSV scoring behind ``shenava score`` (the I/O half; nlp/ stays pure).

Records are read lazily and analysed ``batch_size`` at a time, so memory stays flat whatever the
file size. Output to a file goes to ``OUT.part`` first and is renamed only when the whole input
was read: a run that stops on a malformed line never leaves a plausible-looking partial OUT.
"""

from __future__ import annotations

import contextlib
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
from domain.metrics import METRIC_ALIASES
from listeners.line_records import HeaderError, Record, RecordError, delimiter_for, read_records, sniff_format


class ScoreError(Exception):
    """A problem the user must fix; ``exit_code`` 1 for bad data, 2 for bad usage."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class ScoreReport:
    written: int = 0
    skipped: int = 0
    skipped_lines: list[int] = field(default_factory=list)


def _scorable(line: int, data: Record) -> tuple[int, Record] | RecordError:
    """A record ``score`` can take: it has a ``text`` string (empty is fine)."""
    if "text" not in data:
        return RecordError(line, 'no "text" field')
    if not isinstance(data["text"], str):
        return RecordError(line, f'"text" must be a string, got {type(data["text"]).__name__}')
    return line, data


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
    for key in (name for names in METRIC_ALIASES.values() for name in names):
        value = _as_int(source.get(key))
        if value is not None:
            out[key] = value
    return out


def result_fields(analysis: MentionAnalysis) -> dict[str, Any]:
    """The fields ``shenava score`` adds to each record (the exact contract)."""
    sentiment = analysis.sentiment
    fields: dict[str, Any] = {
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
    if sentiment.emotion is not None:  # models with an emotion head (the bundled one has it)
        fields["sentiment"]["emotion"] = sentiment.emotion
        fields["sentiment"]["emotion_probs"] = {
            k: round(float(v), 6) for k, v in (sentiment.emotion_probs or {}).items()
        }
    return fields


# Characters str.splitlines() (and some JSONL readers) treat as line breaks; JSON allows them raw
# inside strings, so they are escaped to keep exactly one record per line for every reader.
_LINE_BREAKS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})


def _dumps(data: dict[str, Any]) -> bytes:
    """Strict JSON: NaN and ±Infinity (which JSON has no word for) are written as null."""
    try:
        text = json.dumps(data, ensure_ascii=False, allow_nan=False)
    except ValueError:
        text = json.dumps(_finite(data), ensure_ascii=False, allow_nan=False)
    try:
        return (text.translate(_LINE_BREAKS) + "\n").encode("utf-8")
    except UnicodeEncodeError:
        # A lone surrogate from a "\ud800" escape in the input: keep it, escaped, as it came.
        return (json.dumps(json.loads(text), ensure_ascii=True) + "\n").encode("ascii")


def _finite(value: Any) -> Any:
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _detect_format(path: str, stream: IO[bytes], requested: str) -> str:
    if requested in ("jsonl", "csv"):
        return requested
    if requested != "auto":
        raise ScoreError(f"--format must be auto, jsonl or csv (got {requested!r})", exit_code=2)
    # peek() sniffs stdin without consuming it
    head = stream.peek(64)[:64] if hasattr(stream, "peek") else b""
    return sniff_format(path if path != "-" else "", head)


def build_analyzer(config: str | None) -> Any:
    """The analyzer for ``config`` (default: the usual lookup); with no configuration file
    anywhere, the embedded defaults: no brands, default lexicons, the bundled model."""
    from config.loader import ConfigError, config_path, load_settings
    from nlp.analyzer import Analyzer

    if config is None and not config_path().is_file():
        from alerts.settings import UrgencySettings
        from nlp.model_registry import load_active_model
        from nlp.settings import NlpSettings

        nlp = NlpSettings()
        model, version = load_active_model(nlp.sentiment)
        return Analyzer(
            model, nlp_settings=nlp, crisis_words=UrgencySettings().crisis_words, model_version=version
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
        delimiter = delimiter_for(input_path if input_path != "-" else "")
        records = read_records(source, fmt, delimiter=delimiter, required=("text",))
        batch: list[tuple[int, Record]] = []

        def flush() -> None:
            inputs = [
                TextInput(
                    text=data["text"],
                    followers=_as_int(data.get("author_followers", data.get("followers"))),
                    metrics=_metrics(data),
                )
                for _, data in batch
            ]
            for (_, data), analysis in zip(batch, analyzer.analyze_inputs(inputs), strict=True):
                sink.write(_dumps({**data, **result_fields(analysis)}))
            report.written += len(batch)
            batch.clear()

        try:
            for line, data in records:
                item = data if isinstance(data, RecordError) else _scorable(line, data)
                if isinstance(item, RecordError):
                    if not skip_bad:
                        raise ScoreError(str(item))
                    report.skipped += 1
                    report.skipped_lines.append(item.line)
                    continue
                batch.append(item)
                if len(batch) >= batch_size:
                    flush()
        except HeaderError as exc:
            raise ScoreError(str(exc)) from None
        if batch:
            flush()
    return report
