"""Transcribe the "2. Legal framework for BIPs' integration" tables and the "Comparative research
summary & conclusions" of the NIEM Project Summary 2016-2022 (docs/source/) into
raw/legal_framework/{country}.csv and raw/comparative_conclusions.csv.

Run once by hand from the repository root. The extraction scatters table cells (labels and the
"Useful links" column interleave with the text), so each cell is given below as the source lines it
was read from (line numbers of docs/source/niem-project-summary-2016-2022.txt), checked by hand.
A `=text` entry stands for part of a line (where a label word or a link was printed on the same
line). Conventions (raw/README.md): line breaks joined with a space (links: without one, as a
link holds no space), `----` (the extraction of an em dash) written as `—`, page headers removed,
otherwise as printed. Cells assembled from separated pieces say so in `note`.
"""
import csv
import io
import re
import sys

sys.path.insert(0, ".")
from niem.core.io import write_text  # noqa: E402

SOURCE = "docs/source/niem-project-summary-2016-2022.txt"
LINES = open(SOURCE, encoding="utf-8").read().split("\n")
JUNK = re.compile(r"^(National Integration Evaluation Mechanisms \(NIEM\) in 14 EU Member States|Project Summary 2016-2022|\d{1,3})$")
HEADER = ("# REAL DATA: the '2. Legal framework for BIPs' integration' table of {name}, transcribed from "
          "National Integration Evaluation Mechanisms (NIEM) in 14 EU Member States - Project Summary 2016-2022, "
          "Institute of Public Affairs, Warsaw, 2022 (docs/source/; scripts/transcription/legal_framework.py). "
          "Conventions: raw/README.md\n")
PROGRAMME_LABEL = re.compile(r"^(Name|Duration|Support offered):\s*")

R = "assembled from pieces the extraction printed apart (label or link lines removed)"
ROW_ABOVE = "printed above the row label in the extraction; read as the start of this cell"

SPEC = {
    "BG": [("crucial_documents", "314-316", ""), ("crucial_documents", "317-322", ""),
           ("institutions", "326-340", ""),
           ("programme_name", "345-347", ""), ("programme_duration", "352-353", ""),
           ("programme_support", "354-360", ""),
           ("useful_links", "324", ""), ("useful_links", "342", ""), ("useful_links", "344", ""),
           ("useful_links", "362", "")],
    "CZ": [("crucial_documents", "441-454", ""),
           ("framework_organisation", "460-462,471-478", R),
           ("institutions", "485,487-507", R),
           ("programme", "514-530", ""),
           ("useful_links", "436", ""), ("useful_links", "486", ""), ("useful_links", "532", "")],
    "FR": [("crucial_documents", "605", ""), ("crucial_documents", "606-608", ""), ("crucial_documents", "609", ""),
           ("institutions", "623-624", ""), ("institutions", "625-626", ""), ("institutions", "627-628", ""),
           ("programme", "635-637", ""), ("programme", "638-640", ""),
           ("useful_links", "612", ""), ("useful_links", "613-615", ""), ("useful_links", "616", ""),
           ("useful_links", "630-631", ""), ("useful_links", "632", ""), ("useful_links", "633", ""),
           ("useful_links", "642", "printed as a link text, without address"), ("useful_links", "649-650", "")],
    "GR": [("crucial_documents", "735-741", ""), ("crucial_documents", "742-744", ""),
           ("institutions", "758-759,=(beneficiaries or applicants of international,761,763-767", R),
           ("programme", "769-814,824-844", R),
           ("programme", "816-823", "printed in a column of its own beside the action pillars"),
           ("useful_links", "747-748", "printed as a link text, without address"),
           ("useful_links", "750-751", "printed as a link text, without address"),
           ("useful_links", "=Information,762", R + "; printed as a link text, without address; 'Information' is printed at the end of line 760")],
    "HU": [("crucial_documents", "938", ""), ("crucial_documents", "939-942", ""),
           ("framework_organisation", "961-968,972-976", R),
           ("institutions", "986", ""), ("programme", "988", ""),
           ("useful_links", "945-949", ""), ("useful_links", "970-971", "")],
    "IT": [("crucial_documents", "1068-1075", ""), ("crucial_documents", "1076-1089,1112-1148", R),
           ("institutions", "1173-1209", R + " (a page header)"),
           ("programme", "1214-1238", ""),
           ("useful_links", "1092-1111,1153", R), ("useful_links", "1154-1161", ""),
           ("useful_links", "1162-1171", "the address is cut off as printed"),
           ("useful_links", "1240-1251", "")],
    "LV": [("crucial_documents", "1323-1326", ""), ("crucial_documents", "1330-1332", ""),
           ("crucial_documents", "1333-1335", ""),
           ("institutions", "1342-1353", ""),
           ("programme", "1366-1373", ""), ("programme", "1374-1387", ""), ("programme", "1388-1395", ""),
           ("programme", "1396-1408", ""), ("programme", "1426-1434", ""), ("programme", "1437-1443", ""),
           ("programme", "1444-1449", ""), ("programme", "1450-1455", ""),
           ("programme", "1456-1459,1471", R + "; the stray bullet '- Educational programmes' is read as the end of this programme"),
           ("programme", "1473-1479", ""), ("programme", "1483-1489", ""), ("programme", "1490-1493", ""),
           ("useful_links", "1328", ""), ("useful_links", "1355", ""), ("useful_links", "1356-1358", ""),
           ("useful_links", "1359", ""), ("useful_links", "1360", ""), ("useful_links", "1410", ""),
           ("useful_links", "1411", ""), ("useful_links", "1413", "the address is cut off as printed"),
           ("useful_links", "1415-1416", ""), ("useful_links", "1417", ""), ("useful_links", "1418", ""),
           ("useful_links", "1419", ""), ("useful_links", "1420", ""), ("useful_links", "1421", ""),
           ("useful_links", "1422", ""), ("useful_links", "1424", "the address is cut off as printed"),
           ("useful_links", "1436,1461", R), ("useful_links", "1462", ""), ("useful_links", "1463", ""),
           ("useful_links", "1464", ""), ("useful_links", "1466", ""), ("useful_links", "1467", ""),
           ("useful_links", "1469", ""), ("useful_links", "1472", ""), ("useful_links", "1481", "")],
    "LT": [("crucial_documents", "1552-1556", ROW_ABOVE),
           ("crucial_documents", "1565-1581,1587-1588", R + " (footnote 1 printed in between)"),
           ("crucial_documents", "1589-1610", ""),
           ("framework_organisation", "1619-1641,1654-1658", R + " (footnote 2 printed in between)"),
           ("institutions", "1663", ""),
           ("footnote", "1585-1586", "footnote 1"), ("footnote", "1650-1653", "footnote 2"),
           ("useful_links", "1561-1563", ""), ("useful_links", "1643-1646", "")],
    "NL": [("crucial_documents", "1755-1766", ""),
           ("institutions", "1772-1781", "the closing parenthesis is missing as printed"),
           ("programme", "1785,1787,=integration paths,,1789-1828", R + "; a stray 'In' printed before the text is left out"),
           ("useful_links", "1768-1770", ""), ("useful_links", "1830-1833", "")],
    "PL": [("crucial_documents", "1904", "printed under the heading 'Information about the situation in the country', the first content cell of the table"),
           ("framework_organisation", "1908-1933", ""),
           ("institutions", "1934-1935", ""), ("institutions", "1936-1939", ""),
           ("programme_name", "1944", ""), ("programme_duration", "1945", ""),
           ("programme_support", "1947-1962", ""),
           ("useful_links", "1964-1978", "")],
    "RO": [("crucial_documents", "2053-2055", ROW_ABOVE), ("crucial_documents", "2064-2066", ""),
           ("framework_organisation", "2073-2081", ""),
           ("institutions", "2088-2091,2095-2102", R),
           ("programme", "2103-2108", ROW_ABOVE), ("programme", "2113-2129", ""),
           ("useful_links", "2057-2061", "printed as a link text, without address; a word broken by the narrow column is rejoined"),
           ("useful_links", "2083-2086", "printed as a link text, without address; a word broken by the narrow column is rejoined")],
    "SI": [("crucial_documents", "2199-2200", ""), ("crucial_documents", "2208-2209", ""),
           ("crucial_documents", "2214-2218", ""),
           ("framework_organisation", "2233-2243", ""),
           ("institutions", "2248-2251", ""), ("institutions", "2259-2260,2295-2308", R),
           ("programme", "2257,2264-2293,2310-2318", R),
           ("useful_links", "2202-2203", "printed as a link text, without address"),
           ("useful_links", "2204", "printed as a link text, without address"),
           ("useful_links", "2211-2212", "printed as a link text, without address"),
           ("useful_links", "2245-2246", "printed as a link text, without address"),
           ("useful_links", "2253-2255", ""),
           ("useful_links", "2262-2263", "printed as a link text, without address")],
    "ES": [("crucial_documents", "2413-2415", ""), ("crucial_documents", "2419-2423", ""),
           ("crucial_documents", "2424-2426", ""), ("crucial_documents", "2427-2429", ""),
           ("crucial_documents", "2430-2434", ""), ("crucial_documents", "2435-2443", ""),
           ("crucial_documents", "2444-2447", ""), ("crucial_documents", "2448-2450", ""),
           ("crucial_documents", "2451-2454", ""), ("crucial_documents", "2455-2461", ""),
           ("crucial_documents", "2462-2465", ""), ("crucial_documents", "2466-2468", ""),
           ("framework_organisation", "2475-2484", ""),
           ("institutions", "2489-2498", ""),
           ("programme", "2499-2508", ROW_ABOVE), ("programme", "2513-2527", "")],
    "SE": [("crucial_documents", "2649-2650", ""), ("crucial_documents", "2652-2654", ""),
           ("crucial_documents", "2656-2657", ""),
           ("institutions", "2666", ""), ("institutions", "2667", ""), ("institutions", "2668", ""),
           ("institutions", "2669", ""), ("institutions", "2670", ""),
           ("programme_name", "2672,2674", R), ("programme_duration", "2676", ""),
           ("programme_support", "2678,2680-2681", R),
           ("useful_links", "2651", ""), ("useful_links", "2655", ""), ("useful_links", "2658-2659", ""),
           ("useful_links", "2683-2684", "")],
}
NAMES = {"BG": "Bulgaria", "CZ": "Czechia", "FR": "France", "GR": "Greece", "HU": "Hungary", "IT": "Italy",
         "LV": "Latvia", "LT": "Lithuania", "NL": "Netherlands", "PL": "Poland", "RO": "Romania",
         "SI": "Slovenia", "ES": "Spain", "SE": "Sweden"}
FIELDS = ("crucial_documents", "framework_organisation", "institutions", "programme", "programme_name",
          "programme_duration", "programme_support", "useful_links", "footnote")


def pieces(ranges: str) -> list[str]:
    out = []
    for part in re.split(r",(?=[0-9=])", ranges):
        if part.startswith("="):
            out.append(part[1:])
            continue
        a, _, b = part.partition("-")
        for n in range(int(a), int(b or a) + 1):
            s = LINES[n - 1].strip()
            if s and not JUNK.match(s):
                out.append(s)
    return out


def join(parts: list[str], link: bool) -> str:
    text = ""
    for p in parts:
        last = text.split(" ")[-1] if text else ""
        glue = "" if link and last.startswith(("http", "www")) and not p.startswith("(") else " "
        text = (text + glue + p) if text else p
    text = text.replace("----", "—")
    return re.sub(r"\s+", " ", text).strip()


def main() -> None:
    for code, cells in SPEC.items():
        counters: dict[str, int] = {}
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["field", "item", "text", "note"])
        for field, ranges, note in sorted(cells, key=lambda c: FIELDS.index(c[0])):
            text = join(pieces(ranges), field == "useful_links")
            if field.startswith("programme_"):
                text = PROGRAMME_LABEL.sub("", text)
            if code == "RO" and field == "useful_links":
                text = text.replace("Immigratio n", "Immigration").replace("Governmen t", "Government")
            counters[field] = counters.get(field, 0) + 1
            w.writerow([field, counters[field], text, note])
        write_text(f"raw/legal_framework/{code}.csv", HEADER.format(name=NAMES[code]) + buf.getvalue())
        print(code, counters)

    # Comparative research summary & conclusions: paragraphs start where a line starts a new
    # sentence the printed layout set apart (the extraction marks no paragraph breaks).
    paragraphs = [("3660-3678", ""), ("3679-3687", ""), ("3688-3694", "page footnote 3 printed after this paragraph"),
                  ("3700-3709", ""), ("3710-3714", ""), ("3715-3725", ""), ("3726-3732", ""), ("3733-3737", ""),
                  ("3698-3699", "footnote 3")]
    buf = io.StringIO()
    buf.write("# REAL DATA: the 'Comparative research summary & conclusions' of National Integration Evaluation "
              "Mechanisms (NIEM) in 14 EU Member States - Project Summary 2016-2022, Institute of Public Affairs, "
              "Warsaw, 2022 (docs/source/; scripts/transcription/legal_framework.py). Conventions: raw/README.md\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["paragraph", "kind", "text", "note"])
    for i, (ranges, note) in enumerate(paragraphs, 1):
        kind = "footnote" if note == "footnote 3" else "paragraph"
        w.writerow([i, kind, join(pieces(ranges), False), note])
    write_text("raw/comparative_conclusions.csv", buf.getvalue())


main()
