"""The clarification queue: a fixture that triggers every issue code exactly once, and the rules
for spotting other countries and rounds in notes."""

from collections import Counter

from conftest import tiny_codebook_data
from niem.quality.clarification import ISSUE_CODES, country_items, mention_patterns, note_mentions, summary_rows, year_pattern
from niem.inputs.codebook import build_codebook
from niem.inputs.evidence import Answer, parse_number

COUNTRIES = {"BG": "Bulgaria", "HU": "Hungary", "FR": "France"}
FILES = {"2017": "raw/evidence/2017/BG.csv", "2019": "raw/evidence/2019/BG.csv"}


def ans(ind, answer, source="Act 1/2016", note="", line=0):
    status = {"no data": "no_data", "not applicable": "not_applicable"}.get(answer, "answered")
    value = parse_number(answer) if ind in ("A-L02", "A-S01") and status == "answered" else None
    return Answer(ind, status, answer, value, source, note, line)


# line numbers as an editor would show them (comment lines and header before the answers)
ANSWERS = {
    "2017": [ans("A-L01", "yes", line=3), ans("A-L02", "4", line=4), ans("A-P01", "yes", line=5),
             ans("A-S01", "100", source="", line=6),                                  # statistical_no_source
             ans("B-L01", "no", line=7), ans("B-P01", "no", line=8)],
    "2019": [ans("A-L01", "no", line=3),                                             # changed_without_note
             ans("A-L02", "4.0", source="", line=4),                                  # no_source (4.0 == 4: unchanged)
             ans("A-P01", "partly", note="New act of 2018.", line=5),                 # changed, explained; 2018 is no round
             ans("A-S01", "no data", source="", note="Not collected any more.", line=6),  # no_data_after_data
             ans("A-I01", "yes", note="Same provision as in Hungary.", line=7),       # note_other_country
             ans("B-L01", "no", note="Unchanged since 2017, see FR-L01.", line=8),   # note_other_round (FR-L01 is no country)
             ans("B-P01", "no", note="Bulgaria, 2019: as before; fr/it are words.", line=9)],  # own country and round
}


def items():
    return country_items("BG", ANSWERS, FILES, build_codebook(tiny_codebook_data()), COUNTRIES)


def test_every_issue_code_exactly_once():
    got = items()
    assert Counter(i["issue_code"] for i in got) == Counter(ISSUE_CODES)
    by_code = {i["issue_code"]: i for i in got}
    assert [(by_code[c]["round"], by_code[c]["indicator_id"], by_code[c]["line"]) for c in ISSUE_CODES] == [
        ("2019", "A-L01", 3), ("2019", "A-L02", 4), ("2017", "A-S01", 6),
        ("2019", "A-S01", 6), ("2019", "A-I01", 7), ("2019", "B-L01", 8)]
    changed = by_code["changed_without_note"]
    assert (changed["answer"], changed["previous_round"], changed["previous_answer"]) == ("no", "2017", "yes")
    assert "was 'yes', now 'no'" in changed["issue"]
    assert "Hungary (HU)" in by_code["note_other_country"]["issue"]
    assert "mentions 2017" in by_code["note_other_round"]["issue"]
    assert by_code["no_data_after_data"]["previous_answer"] == "100"
    assert all(i["status"] == "open" and i["file"] == FILES[i["round"]] and i["country"] == "BG" for i in got)


def test_note_mentions():
    pats, years = mention_patterns(COUNTRIES | {"IT": "Italy", "DE-BY": "Bavaria", "DE": "Germany"}), year_pattern(["2017", "2019", "2021"])

    def mentions(note, country="BG", round_id="2019"):
        return note_mentions(note, country, round_id, pats, years)

    assert mentions("as in HUNGARY and france") == (["HU", "FR"], [])
    assert mentions("copied from HU, see IT.") == (["HU", "IT"], [])
    assert mentions("it was revised; fr text") == ([], [])          # codes match in capitals only
    assert mentions("see FR-L01 and HU-S02") == ([], [])             # indicator ids are not countries
    assert mentions("rules of DE-BY") == (["DE-BY"], [])             # a subdivision is not its country
    assert mentions("Hungarian law") == ([], [])                     # names, not adjectives (documented)
    assert mentions("Bulgaria in 2019") == ([], [])                  # own country and round
    assert mentions("data of 2017/18 and 2021") == ([], ["2017", "2021"])
    assert mentions("in 2018, 2020, 20170 and 12021 cases") == ([], [])  # not rounds


def test_summary_has_every_cell():
    rows = summary_rows(items(), ["BG", "HU"], ["2017", "2019"])
    assert len(rows) == 2 * 2 * len(ISSUE_CODES)
    assert sum(r["n_items"] for r in rows) == len(ISSUE_CODES)
    assert {(r["round"], r["issue_code"]) for r in rows if r["n_items"]} == {
        ("2017", "statistical_no_source"), *(("2019", c) for c in ISSUE_CODES if c != "statistical_no_source")}
    assert all(r["n_items"] == 0 for r in rows if r["country"] == "HU")
