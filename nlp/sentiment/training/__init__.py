"""Training the bundled sentiment model (see README.md here)."""
