"""Analysis stage: what the scored tables say across countries and rounds.

Data-availability audits (``audit``), change drivers, change models, paired tests and
convergence (``models``, the only module importing statsmodels), the robustness Monte Carlo
(``robustness``) and the recomputation of every published NIEM figure (``published``); ``tables``
declares their tables. Rules: ``availability_audit``, ``change_models``, ``robustness``
(``workflow/rules/analysis.smk``) and ``published_figures`` (``workflow/rules/tables.smk``).
"""
