"""Sentiment: the bundled Persian transformer model, other transformers checkpoints, and a fallback.

Use ``load_sentiment_model(settings)`` once at start and pass the model down.
"""

from nlp.sentiment.fallback import LexiconFallbackSentimentModel
from nlp.sentiment.loader import BUILTIN_DIR, SentimentModelError, load_sentiment_model

__all__ = ["BUILTIN_DIR", "LexiconFallbackSentimentModel", "SentimentModelError", "load_sentiment_model"]
