"""Settings: one YAML file, validated once at start; secrets from the environment only."""
