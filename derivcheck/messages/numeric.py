"""Messages of numeric (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {}
