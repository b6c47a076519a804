"""Table specs of the real seed data (registered into niem.core.registry when imported).

BIP statistics, national findings, legal frameworks and the comparative conclusions, transcribed
from the NIEM Project Summary 2016-2022 (raw/bip_statistics/, raw/findings/, raw/legal_framework/,
raw/comparative_conclusions.csv; validated by niem/inputs/seeddata.py and legal_framework.py).
"""

from __future__ import annotations

from ..core.registry import _KEY, REAL, F, I, S, TableSpec, register

register(TableSpec("bip_statistics", "Statistics on beneficiaries of international protection (BIPs) per country and reference date, as printed in the NIEM Project Summary 2016-2022, with their gaps and quirks.", (
    _KEY[0],
    ("measure", S, "number_of_bips, share_among_non_citizens, share_of_population, or a printed component (number_of_refugees, number_of_bsps, total_non_citizens, total_population, bips_without_citizenship, humanitarian_permits)"),
    ("slot", S, "Reference column of the seed table as a year: 2017, 2019, 2021, 2022 (1 January), by position"),
    ("reference_as_printed", S, "Column header as printed (e.g. '1st of January 2017'; Greece and Hungary print '2016' etc.)"),
    ("value", F, "The number (percent for shares); null when not printed"),
    ("unit", S, "persons or percent"),
    ("value_as_printed", S, "The cell exactly as printed (e.g. 'less than 0,01%', '2586s', 'no data')"),
    ("status", S, "reported, no_data, or upper_bound ('less than ...')"),
    ("basis", S, "stock (present at a date), flow (granted during a year) or unknown"),
    ("qualifier", S, "Printed qualifier (e.g. 'excluding minors', 'during 2016')"),
    ("source", S, "Source as printed"),
    ("note", S, "Footnotes and transcription notes"),
), provenance=REAL))
register(TableSpec("findings", "National conclusions, recommendations and data-availability findings per country, as printed in the NIEM Project Summary 2016-2022.", (
    _KEY[0],
    ("section", S, "conclusion, recommendation, data_availability or data_recommendation"),
    ("item", I, "Order within the section"),
    ("tags_as_printed", S, "Dimension tags as printed, e.g. '[maintreaming]' (sic)"),
    ("dimensions", S, "The tags as dimension ids, semicolon-separated; null when untagged"),
    ("text", S, "The text as printed (line breaks joined)"),
), provenance=REAL))
register(TableSpec("legal_framework", "Each country's 'Legal framework for BIPs' integration' table as printed in the NIEM Project Summary 2016-2022: crucial documents, institutions, integration programmes, useful links.", (
    _KEY[0],
    ("field", S, "The table row: crucial_documents, framework_organisation (how integration is organised without one framework document), institutions, programme (or programme_name, programme_duration, programme_support where printed apart), useful_links, footnote"),
    ("item", I, "Order within the field"),
    ("text", S, "The cell text as printed (line breaks joined; links joined without spaces)"),
    ("note", S, "Transcription note (e.g. cell assembled from pieces the extraction printed apart); null when none"),
), provenance=REAL))
register(TableSpec("comparative_conclusions", "The 'Comparative research summary & conclusions' of the NIEM Project Summary 2016-2022, one row per paragraph.", (
    ("paragraph", I, "Paragraph number in printed order"),
    ("kind", S, "paragraph or footnote"),
    ("text", S, "The paragraph as printed (line breaks joined)"),
    ("note", S, "Transcription note; null when none"),
), provenance=REAL))
