"""Archive stage: pin the project as of one round in a deterministic, checksummed tar.gz.

``round_archive`` builds, verifies and rebuilds ``niem-round-{R}.tar.gz`` (docs/archive.md);
``python -m niem.archive verify|rebuild ARCHIVE`` is its command line. Rule: ``archive_round``
(``workflow/rules/archive.smk``).
"""
