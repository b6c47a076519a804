"""Quality stage: answers that are valid but need a national researcher's confirmation.

``clarification`` lists each country's clarification items (in the ``country_tables`` job) and
summarises them; ``tables`` declares the queue's tables. Rules: ``country_tables``
(``workflow/rules/tables.smk``) and ``clarification_queue`` (``workflow/rules/quality.smk``).
"""
