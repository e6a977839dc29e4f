"""Messages of domain (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {}
