"""``python -m pipeline`` is the same CLI as ``hakusho``."""

from .cli import entry

entry()
