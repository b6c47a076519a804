"""Transcribe the national findings of the NIEM Project Summary 2016-2022 (docs/source/) into raw/findings/.

Run once by hand from the repository root; the bullet parser is followed by explicit fixes checked
against the source by hand (see raw/README.md for the conventions).
"""
import csv
import io
import re
import sys

sys.path.insert(0, ".")
from niem.core.io import write_text  # noqa: E402

lines = open('docs/source/niem-project-summary-2016-2022.txt', encoding='utf-8').read().split('\n')
start = next(i for i, l in enumerate(lines) if 'National research and data availability' in l)
end = next(i for i, l in enumerate(lines) if 'Comparative research summary & conclusions' in l)
block = lines[start + 2:end]
heads = {"Bulgaria": "BG", "Czechia": "CZ", "France": "FR", "Greece": "GR", "Hungary": "HU", "Itay": "IT", "Latvia": "LV",
         "Lithuania": "LT", "Netherlands": "NL", "Poland": "PL", "Romania": "RO", "Slovenia": "SI", "Spain": "ES", "Sweden": "SE"}
JUNK = re.compile(r"^(National Integration Evaluation Mechanisms \(NIEM\) in 14 EU Member States|Project Summary 2016-2022|\d{1,3})$")
TAGMAP = {"mainstreaming": "mainstreaming", "maintreaming": "mainstreaming", "building bridges": "building_bridges",
          "housing": "housing", "residency": "residency", "employment": "employment", "education": "education",
          "language learning": "language_learning", "language learning and social orientation": "language_learning",
          "vocational training": "vocational_training", "reception": "reception"}
sections = {}
cur = None
for l in block:
    s = l.strip()
    if s in heads:
        cur = heads[s]; sections[cur] = []; continue
    if cur and not JUNK.match(s):
        sections[cur].append(s)

def join(parts):
    t = " ".join(p for p in parts if p)
    t = t.replace("----", "—")
    t = re.sub(r"\s+", " ", t).strip()
    return t

rows = {}
for c, body in sections.items():
    out = []
    text = "\n".join(body)
    rec_i = text.find("\nRecommendations:")
    if rec_i < 0:
        rec_i = text.find("Recommendations:")
    da_i = text.find("Data availability & recommendations:")
    concl = text[:rec_i] if rec_i >= 0 else text[:da_i]
    recs = text[rec_i + len("\nRecommendations:"):da_i] if rec_i >= 0 else ""
    data = text[da_i + len("Data availability & recommendations:"):]
    def emit_prose(section, chunk):
        t = join(chunk.split("\n"))
        if t:
            out.append([section, t])
    def emit_bullets(section, chunk, prose_section):
        parts = chunk.split("•")
        lead = join(parts[0].split("\n"))
        if lead:
            out.append([prose_section, lead])
        for p in parts[1:]:
            t = join(p.split("\n"))
            if t:
                out.append([section, t])
    emit_prose("conclusion", concl)
    if recs:
        emit_bullets("recommendation", recs, "recommendation")
    emit_bullets("data_recommendation", data, "data_availability")
    rows[c] = out

def tags(t):
    m = re.match(r"^((?:\[[^\]]*\]\s*)+)", t)
    if not m:
        return "", "", t
    printed = m.group(1).strip()
    dims = []
    for tag in re.findall(r"\[([^\]]*)\]", printed):
        key = tag.strip().lower()
        if key not in TAGMAP:
            raise SystemExit(f"unmapped tag {tag!r}")
        dims.append(TAGMAP[key])
    return printed, ";".join(dims), t[m.end():].strip()

for c, out in rows.items():
    counters = {}
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["section", "item", "tags_as_printed", "dimensions", "text"])
    for section, t in out:
        printed, dims, rest = tags(t)
        counters[section] = counters.get(section, 0) + 1
        w.writerow([section, counters[section], printed, dims, rest if printed else t])
    write_text(f"raw/findings/{c}.csv", buf.getvalue())
    print(c, counters)

# --- structural fixes the bullet parser cannot know (checked by hand against the seed) -------
def rewrite(c, fix):
    path = f"raw/findings/{c}.csv"
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    rows = fix(rows)
    counters = {}
    for r in rows:
        counters[r["section"]] = counters.get(r["section"], 0) + 1
        r["item"] = counters[r["section"]]
    buf = io.StringIO()
    w = csv.DictWriter(buf, ["section", "item", "tags_as_printed", "dimensions", "text"], lineterminator="\n")
    w.writeheader(); w.writerows(rows)
    write_text(path, buf.getvalue())

def split_row(r, marker, second_section):
    a, b = r["text"].split(marker, 1)
    return [dict(r, text=a.strip()), dict(section=second_section, item=0, tags_as_printed="", dimensions="", text=(marker + b).strip())]

def fix_hu(rows):
    out = []
    for r in rows:
        if r["section"] == "data_recommendation" and r["text"].startswith(("certain data types", "low sample size")):
            out.append(dict(r, section="data_availability"))
        elif r["section"] == "data_recommendation" and r["text"].startswith("a lot of data"):
            a, b = split_row(r, "If we want to better understand", "data_recommendation")
            out += [dict(a, section="data_availability"), b]
        else:
            out.append(r)
    return out

def fix_nl(rows):
    out = []
    for r in rows:
        # a descriptive closing paragraph printed after the recommendations: conclusion, not recommendation
        out += split_row(r, "These challenges are addressed", "conclusion") if "These challenges are addressed" in r["text"] else [r]
    return out

def fix_cz(rows):
    out = []
    for r in rows:
        out += split_row(r, "As concerns specific areas", "recommendation") if "As concerns specific areas" in r["text"] else [r]
    return out

rewrite("HU", fix_hu); rewrite("NL", fix_nl); rewrite("CZ", fix_cz)

def fix_pl(rows):
    return [dict(r, section="data_availability") if r["section"] == "data_recommendation" and
            r["text"].startswith(("Polish government has not", "Relatively detailed data")) else r for r in rows]

rewrite("PL", fix_pl)

# recommending sentences that end a prose data-availability paragraph are data recommendations
PROSE_RECOMMENDATIONS = {"FR": "Administrative institutions providing services to BIPs should collect",
                         "GR": "The lack of data could be rectified", "IT": "To have stock data it would be necessary",
                         "NL": "A major recommendation would be", "SI": "It would be very helpful if",
                         "ES": "An effective reception and integration system inevitably requires"}
for c, marker in PROSE_RECOMMENDATIONS.items():
    rewrite(c, lambda rows, m=marker: [part for r in rows for part in
                                       (split_row(r, m, "data_recommendation") if r["section"] == "data_availability" and m in r["text"] else [r])])

# line breaks inside web addresses, joined without a space
URL_JOINS = {"documentazione/sta tistica/": "documentazione/statistica/", "MIGR_RES VALID__custom": "MIGR_RESVALID__custom"}

# words the PDF hyphenated at a line end, which the text extraction glued together
JOINS = {"locallevel": "local-level", "thirdcountry": "third-country", "statefunded": "state-funded",
         "multistakeholder": "multi-stakeholder", "preknowledge": "pre-knowledge", "sociodemographic": "socio-demographic",
         "legaladministrative": "legal-administrative", **URL_JOINS}
import glob

for path in glob.glob("raw/findings/*.csv"):
    text = open(path, encoding="utf-8").read()
    for a, b in JOINS.items():
        text = text.replace(a, b)
    write_text(path, text)
