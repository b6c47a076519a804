"""``python -m niem.archive verify|rebuild ARCHIVE`` (docs/archive.md)."""

import sys

from .round_archive import main

sys.exit(main())
