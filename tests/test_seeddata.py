"""Validation of the real per-country data files (BIP statistics, findings)."""

from niem.inputs.seeddata import BIP_COLUMNS, FINDINGS_COLUMNS, read_bip_statistics, read_findings

HEADER = ",".join(BIP_COLUMNS) + "\n"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_bip_statistics_quirks_are_kept(tmp_path):
    path = write(tmp_path, "RO.csv", HEADER +
                 'number_of_bips,2017,1st of January 2017,3924,persons,"3,924",reported,stock,,General Inspectorate for Immigration,*Recognized beneficiaries only\n'
                 'share_of_population,2017,1st of January 2017,0.01,percent,"less than 0,01%",upper_bound,unknown,,National Statistics Institute,\n'
                 'share_among_non_citizens,2022,1st of January 2022,,percent,no data,no_data,unknown,,,\n')
    rows, problems = read_bip_statistics(path)
    assert problems == []
    assert [r["status"] for r in rows] == ["reported", "upper_bound", "no_data"]
    assert rows[1]["value_as_printed"] == "less than 0,01%" and rows[1]["value"] == 0.01
    assert rows[2]["value"] is None


def test_bip_statistics_errors_name_line_and_field(tmp_path):
    path = write(tmp_path, "XX.csv", HEADER +
                 "number_of_bips,2017,x,\"3,924\",persons,3924,reported,stock,,,\n"
                 "share_of_population,2017,x,120,percent,120%,reported,stock,,,\n"
                 "number_of_bips,2017,x,5,persons,5,reported,stock,,,\n"
                 "number_of_bips,2019,x,5,people,5,printed,stock,,,\n"
                 "share_of_population,2019,x,0.5,percent,no data,no_data,unknown,,,\n")
    _, problems = read_bip_statistics(path)
    got = {(p.line, p.field) for p in problems}
    assert (2, "value") in got  # comma in number
    assert (3, "value") in got  # percent > 100
    assert (4, "measure") in got  # duplicate measure/slot
    assert (5, "unit") in got and (5, "status") in got
    assert (6, "value") in got  # no_data with a value
    assert all(p.file == str(path) for p in problems)


def test_findings_tags_and_errors(tmp_path):
    head = ",".join(FINDINGS_COLUMNS) + "\n"
    path = write(tmp_path, "GR.csv", head +
                 'recommendation,1,[maintreaming],mainstreaming,"Implement the strategy."\n'
                 'recommendation,2,[Housing] [Residency],housing;residency,"Improve access."\n'
                 'conclusion,1,,,"Prose <script>alert(1)</script> kept verbatim."\n')
    rows, problems = read_findings(path, ["mainstreaming", "housing", "residency"])
    assert problems == [] and rows[0]["tags_as_printed"] == "[maintreaming]"
    assert rows[1]["dimensions"] == "housing;residency" and rows[2]["dimensions"] is None
    bad = write(tmp_path, "BAD.csv", head + "summary,0,,housng,\nrecommendation,1,,,x\nrecommendation,1,,,y\n")
    _, problems = read_findings(bad, ["housing"])
    got = {(p.line, p.field) for p in problems}
    assert {(2, "section"), (2, "item"), (2, "dimensions"), (2, "text"), (4, "item")} <= got
