"""Shenava (شنوا): Persian-first social listening. This package wires the CLI, scheduler and API."""

__version__ = "0.1.0"
