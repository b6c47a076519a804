"""Collect stage: the spreadsheet side of NIEM's collection and updating, for national researchers.

``questionnaire`` writes one questionnaire workbook per country and round from the codebook (with
the previous round's answers beside the inputs) and reads a filled one back; ``evidence_file``
turns imported answers into ``raw/evidence/{round}/{country}.csv`` (validated with the same rules
as the CSV path, niem/inputs/evidence.py) and says what changed; ``clarify`` writes the
clarification workbooks from the queue, reads the answers back and keeps the resolution register
``raw/clarifications/{round}/{country}.csv``; ``rounds`` adds a round to config/config.yaml and
lists the countries whose evidence is still pending; ``workbook`` holds what the workbooks share
(deterministic bytes, structure checks naming sheet, row and column). Rules: ``questionnaire``,
``questionnaires_{round}``, ``clarification_workbook``, ``clarification_workbooks_{round}`` and
``pending_evidence`` (``workflow/rules/collect.smk``); the command line is ``python -m
niem.collect`` (docs/collection.md).
"""
