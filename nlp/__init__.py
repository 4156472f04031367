"""Persian NLP: normalisation, language, brand matching, sentiment, touchpoints and urgency."""
