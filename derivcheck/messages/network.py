"""Messages of network (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {}
