import sys

from .cli import main

# Guarded: a pack's worker processes (multiprocessing's spawn) import this module again.
if __name__ == "__main__":
    sys.exit(main())
