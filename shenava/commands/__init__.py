"""CLI commands, one module each. Every module defines ``register(app: typer.Typer)``.

Keep heavy imports (torch, transformers, scrapy) inside the command functions so that
``shenava --help`` stays fast.
"""
