"""Mapping a model's own class names onto negative / neutral / positive."""

from __future__ import annotations

from collections.abc import Mapping

from domain.analysis import LABELS

# Class names used by common Persian sentiment checkpoints (ParsBERT SnappFood/DigiKala/DeepSentiPers,
# multilingual sentiment models) and by our own bundled model.
_KNOWN: dict[str, str] = {
    "negative": "negative",
    "neg": "negative",
    "sad": "negative",
    "angry": "negative",
    "furious": "negative",
    "not_recommended": "negative",
    "bad": "negative",
    "very negative": "negative",
    "1 star": "negative",
    "2 stars": "negative",
    "neutral": "neutral",
    "neu": "neutral",
    "no_idea": "neutral",
    "other": "neutral",
    "3 stars": "neutral",
    "mixed": "neutral",
    "positive": "positive",
    "pos": "positive",
    "happy": "positive",
    "delighted": "positive",
    "recommended": "positive",
    "good": "positive",
    "very positive": "positive",
    "4 stars": "positive",
    "5 stars": "positive",
}


class LabelMappingError(ValueError):
    """The model's classes cannot be mapped onto negative/neutral/positive."""


def resolve_label_map(id2label: Mapping[int, str], configured: Mapping[str, str]) -> list[str]:
    """Return, for each class index of the model, one of ``LABELS``.

    ``configured`` maps the model's class names to our labels (settings ``labels``); when empty, class names
    are recognised by name. Several classes may map to one label (their probabilities are summed); a model
    without a neutral class (binary) simply never predicts neutral.
    """
    if not id2label:
        raise LabelMappingError("the model config has no id2label mapping; set sentiment.labels")
    for target in configured.values():
        if target not in LABELS:
            raise LabelMappingError(f"sentiment.labels maps to {target!r}; allowed: {', '.join(LABELS)}")
    mapping: list[str] = []
    for idx in range(len(id2label)):
        name = str(id2label[idx])
        if configured:
            target = configured.get(name) or configured.get(name.lower())
            if target is None:
                raise LabelMappingError(
                    f"sentiment.labels has no entry for the model's class {name!r} "
                    f"(model classes: {sorted(map(str, id2label.values()))})"
                )
        else:
            target = _KNOWN.get(name.strip().lower().replace("-", "_"))
            if target is None:
                raise LabelMappingError(
                    f"cannot tell what the model's class {name!r} means; set sentiment.labels, e.g. "
                    f"{{{name!r}: 'negative'}} (model classes: {sorted(map(str, id2label.values()))})"
                )
        mapping.append(target)
    if "negative" not in mapping or "positive" not in mapping:
        raise LabelMappingError(f"a sentiment model needs a negative and a positive class; got {mapping}")
    return mapping
