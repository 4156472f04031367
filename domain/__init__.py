"""Shared domain types: the leaf every other package builds on.

Imports nothing from the project (only the standard library and pydantic), so any package may
import it without creating a cycle.
"""
