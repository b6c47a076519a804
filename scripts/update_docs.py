#!/usr/bin/env python
"""Regenerate the README's table documentation from the table catalogue (niem/tables.py: every stage's tables)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from niem.docs import update_readme  # noqa: E402

print("README.md updated" if update_readme(ROOT / "README.md") else "README.md already current")
