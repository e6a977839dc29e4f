"""``python -m derivcheck`` runs the command line."""

import sys

from derivcheck.cli import main

sys.exit(main())
