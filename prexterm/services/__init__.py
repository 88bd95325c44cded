"""Services the player drives but that know nothing of the UI toolkit (pure asyncio + stdlib)."""
