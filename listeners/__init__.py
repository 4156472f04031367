"""Listeners collect public brand mentions from X, Instagram, the web and Telegram previews."""
