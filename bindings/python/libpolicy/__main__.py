"""python3 -m libpolicy check --scheduler ADDRESS PATH... (libpolicy.dask_command)."""

import sys

from .dask_command import main

sys.exit(main(sys.argv[1:]))
