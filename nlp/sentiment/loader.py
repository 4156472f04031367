"""``load_sentiment_model``: settings -> a ready SentimentModel (bundled default, a directory, a model id)."""

from __future__ import annotations

import logging
import os
from pathlib import Path

from domain.analysis import SentimentModel
from nlp.sentiment.calibration import Calibration, CalibrationError
from nlp.sentiment.fallback import LexiconFallbackSentimentModel
from nlp.sentiment.labels import LabelMappingError
from nlp.sentiment.onnx_backend import ONNX_FILE
from nlp.sentiment.sentiment_head import SentimentHead
from nlp.settings import SentimentSettings

log = logging.getLogger(__name__)

#: The model trained by ``nlp/sentiment/training`` and committed with the code (see MODEL_CARD.md there).
BUILTIN_DIR = Path(__file__).resolve().parent / "model"
BUILTIN_NAME = "shenava-sentiment-fa"


class SentimentModelError(RuntimeError):
    """The configured sentiment model cannot be loaded; the message says which and why."""


def _threads(settings: SentimentSettings) -> int:
    return settings.num_threads or max(1, min(os.cpu_count() or 1, 8))


def load_sentiment_model(settings: SentimentSettings | None = None) -> SentimentModel:
    """Load the model named by ``settings.model``.

    - ``"builtin"``: the bundled model in ``nlp/sentiment/model`` (ONNX Runtime unless backend="torch"). If
      its files are absent (a stripped install), logs a warning and returns the clearly named
      ``LexiconFallbackSentimentModel`` so the pipeline still runs.
    - a local directory: a transformers sequence-classification checkpoint (config.json + weights +
      tokenizer); with ``model.onnx`` beside them, backend "auto"/"onnx" uses ONNX Runtime.
    - anything else: a model id for ``from_pretrained`` (needs network once, then the local cache).

    Raises SentimentModelError for a missing/invalid directory, unknown id, or unmappable labels.
    """
    settings = settings or SentimentSettings()
    if settings.model == "builtin":
        if not (BUILTIN_DIR / "config.json").is_file():
            log.warning("bundled sentiment model missing at %s; using the lexicon FALLBACK", BUILTIN_DIR)
            return LexiconFallbackSentimentModel()
        return _load_directory(BUILTIN_DIR, settings, name=BUILTIN_NAME)
    if settings.model == "fallback":
        return LexiconFallbackSentimentModel()
    path = Path(settings.model).expanduser()
    if path.exists():
        if not path.is_dir():
            raise SentimentModelError(f"sentiment model {settings.model!r} is a file, not a model directory")
        return _load_directory(path, settings, name=None)
    if settings.model.startswith(("/", ".", "~")) or "\\" in settings.model or settings.model.count("/") > 1:
        raise SentimentModelError(f"sentiment model directory {settings.model!r} does not exist")
    return _load_torch(settings.model, settings, name=None)


def _load_directory(path: Path, settings: SentimentSettings, name: str | None) -> SentimentModel:
    if not (path / "config.json").is_file():
        raise SentimentModelError(
            f"sentiment model directory {str(path)!r} has no config.json: not a transformers model directory"
        )
    has_onnx = (path / ONNX_FILE).is_file() and (path / "tokenizer.json").is_file()
    if settings.backend == "onnx" and not has_onnx:
        raise SentimentModelError(
            f"sentiment.backend is 'onnx' but {str(path)!r} has no {ONNX_FILE} and tokenizer.json"
        )
    if settings.backend == "onnx" or (settings.backend == "auto" and has_onnx):
        from nlp.sentiment.onnx_backend import OnnxSentimentModel

        model = _build(OnnxSentimentModel, path, settings, f"{name}:onnx" if name else None)
    else:
        model = _load_torch(str(path), settings, name=f"{name}:torch" if name else None)
    try:
        model.calibration = Calibration.load(path)
        model.sentiment_head = SentimentHead.load(path)
    except (CalibrationError, ValueError, KeyError, TypeError) as exc:
        raise SentimentModelError(f"sentiment model {str(path)!r}: {exc}") from exc
    return model


def _load_torch(source: str, settings: SentimentSettings, name: str | None) -> SentimentModel:
    from nlp.sentiment.torch_backend import TransformerSentimentModel

    return _build(TransformerSentimentModel, source, settings, name)


def _build(cls: type, source: str | Path, settings: SentimentSettings, name: str | None) -> SentimentModel:
    try:
        return cls(
            source,
            labels=settings.labels,
            batch_size=settings.batch_size,
            max_length=settings.max_length,
            num_threads=_threads(settings),
            name=name,
        )
    except LabelMappingError as exc:
        raise SentimentModelError(f"sentiment model {str(source)!r}: {exc}") from exc
    except Exception as exc:  # transformers/onnxruntime/safetensors raise many types for bad files
        raise SentimentModelError(f"cannot load sentiment model {str(source)!r}: {exc}") from exc
