"""Jinja2 templates of the digest (a package so that the HTML ships with it)."""
