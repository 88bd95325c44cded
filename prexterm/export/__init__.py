"""Export: a deck as PDF, one HTML page, SVG slides or plain text, drawn by the player itself."""
