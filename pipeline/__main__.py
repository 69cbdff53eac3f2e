"""``python -m pipeline`` is the same CLI as ``hakusho``."""

from .cli import main

raise SystemExit(main())
