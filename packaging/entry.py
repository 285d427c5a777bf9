"""The bundle's entry point: the same `main` as the `vsm-desktop` command of a pip install."""

import sys

from vsm_desktop.cli import main

if __name__ == "__main__":
    sys.exit(main())
