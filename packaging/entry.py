"""The bundle's entry point: the same `main` as the `vsm-desktop` command of a pip install."""

import multiprocessing
import sys

from vsm_desktop.cli import main

if __name__ == "__main__":
    # A frozen bundle starts a pack's worker processes through this same executable.
    multiprocessing.freeze_support()
    sys.exit(main())
