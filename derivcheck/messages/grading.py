"""Messages of grading (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {}
