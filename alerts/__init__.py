"""Alerts: spike detection, urgent mentions, notifiers with an outbox, and the daily digest."""
