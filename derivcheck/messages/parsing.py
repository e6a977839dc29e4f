"""Messages of parsing (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {}
