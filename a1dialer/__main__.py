"""Run the app with ``python -m a1dialer``."""

import sys

from a1dialer.cli import main

sys.exit(main())
