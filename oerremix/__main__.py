"""``python -m oerremix`` runs the command line."""

from __future__ import annotations

import sys

from oerremix.cli import main

sys.exit(main())
