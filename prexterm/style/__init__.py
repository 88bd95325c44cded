"""How a talk looks: themes (Textual CSS and a palette) and the web CSS a deck may bring."""
