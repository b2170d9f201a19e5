"""alert-matrix: `python main.py --help` (installed as the `alert-matrix` command)."""

import sys

from cli.app import main

if __name__ == "__main__":
    sys.exit(main())
