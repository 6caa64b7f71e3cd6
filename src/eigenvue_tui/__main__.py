"""``python -m eigenvue_tui`` runs the same command as ``eigenvue-tui``."""

import sys

from .cli import main

sys.exit(main())
