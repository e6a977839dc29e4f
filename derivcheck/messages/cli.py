"""Messages of cli (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {}
