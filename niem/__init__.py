"""Open, reproducible evaluation mechanism for refugee-integration policy, modelled on NIEM.

The package holds the logic (pure functions, tested on small fixtures); the Snakemake rule
scripts in ``scripts/`` only read inputs, call it and write outputs.
"""

__version__ = "0.1.0"
