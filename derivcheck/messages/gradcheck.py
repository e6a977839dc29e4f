"""Messages of gradcheck (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {}
