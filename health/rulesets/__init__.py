"""Packaged rulesets and follow-up policies (YAML data, validated on load)."""
