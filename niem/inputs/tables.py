"""Table specs of the real seed data (registered into niem.core.registry when imported).

BIP statistics and national findings, transcribed from the NIEM Project Summary 2016-2022
(raw/bip_statistics/, raw/findings/; validated by niem/inputs/seeddata.py).
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
