"""Messages of render (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {}
