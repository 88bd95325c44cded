"""Turning slides into Rich renderables (and plain text), without any UI toolkit.

The Textual app, the exporter and the tests all draw slides through this package,
so a slide looks the same everywhere it is shown.

The package itself holds no names: import each one from its module
(`prexterm.render.plain` for the checker, which needs no Rich).
"""
