"""`python -m prexterm` runs the same command line as the `prexterm` script."""

from prexterm.cli import main

raise SystemExit(main())
