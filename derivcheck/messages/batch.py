"""Messages of batch (en, zh)."""

MESSAGES: dict[str, tuple[str, str]] = {}
