"""The README documents every output table and column exactly as the registry defines them."""

from conftest import ROOT
from niem.docs import with_tables


def test_readme_table_docs_are_current():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert with_tables(readme) == readme, "run: python scripts/update_docs.py"
