"""The commune's own identity and settings, and its reference data."""
