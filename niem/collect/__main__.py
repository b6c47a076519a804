"""``python -m niem.collect`` (docs/collection.md)."""

import sys

from .cli import main

sys.exit(main())
