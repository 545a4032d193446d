"""Entry point for ``python -m drillcoach``."""

from drillcoach.cli import main

raise SystemExit(main())
