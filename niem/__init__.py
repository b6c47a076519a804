"""Open, reproducible evaluation mechanism for refugee-integration policy, modelled on NIEM.

The package holds the logic (pure functions, tested on small fixtures); the Snakemake rule
scripts in ``scripts/`` only read inputs, call it and write outputs. Its subpackages follow the
stages of the DAG (``workflow/rules/*.smk``), each importing only from the stages before it:

    core      errors, atomic output, strict CSV/YAML readers, JSON schemas, escaping, table registry
    run       glue for Snakemake: rule-script runner, run lock, scheduler exit, params check, warm worker
    inputs    config, codebook, raw-file checks, evidence, real seed data, illustrative answers
    quality   the clarification queue
    scoring   scoring rules, round-to-round change, one country's tables
    analysis  audits, change models, robustness, the published-figures check
    reports   report extracts, figures, content, assembly and rendering
    archive   round archives (``python -m niem.archive``)

``niem.tables`` is the catalogue of every stage's tables; ``niem.docs`` writes the README's table docs.
"""

__version__ = "0.1.0"
