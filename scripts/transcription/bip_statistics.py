"""Run once by hand from the repository root: the hand-reconstructed transcription of the 14 'Statistics regarding BIPs' tables of the NIEM Project Summary 2016-2022."""
import csv

COLS = ["measure","slot","reference_as_printed","value","unit","value_as_printed","status","basis","qualifier","source","note"]
JAN = {s: f"1st of January {s}" for s in ("2017","2019","2021","2022")}
SLOTS = ["2017","2019","2021","2022"]
RECON = "position reconstructed from the text extraction"
out = {}
def add(c, measure, slot, printed, value="", unit="persons", status="reported", basis="unknown", qualifier="", source="", note="", ref=None):
    out.setdefault(c, []).append(dict(measure=measure, slot=slot, reference_as_printed=ref or JAN[slot], value=value, unit=unit,
        value_as_printed=printed, status=status, basis=basis if status != "no_data" else "unknown", qualifier=qualifier, source=source, note=note))
def nodata(c, measure, slot, unit, source="", note="", printed="no data", ref=None):
    add(c, measure, slot, printed, "", unit, "no_data", "unknown", "", source, note, ref)
def row(c, measure, unit, cells, source, note="", basis="unknown", refs=None):
    for i, (slot, cell) in enumerate(zip(SLOTS, cells)):
        ref = refs[i] if refs else None
        if cell is None or isinstance(cell, str):
            nodata(c, measure, slot, unit, source, note, printed=cell or "no data", ref=ref)
        else:
            printed, value = cell[0], cell[1]
            qual = cell[2] if len(cell) > 2 else ""
            status = "upper_bound" if printed.startswith("less than") else "reported"
            n = note if len(cell) <= 3 else (note + " " + cell[3]).strip()
            add(c, measure, slot, printed, value, unit, status, basis, qual, source, n, ref)

# Bulgaria: every cell 'no data'
for m, u in (("number_of_bips","persons"),("share_among_non_citizens","percent"),("share_of_population","percent")):
    row("BG", m, u, [None]*4, "Ministry of Interior")
# Czechia
cz_src = "Czech Statistical Office; 2022 Department for Asylum and Migration Policy, Ministry of Interior"
row("CZ","number_of_bips","persons",[("2972","2972"),("2586s","2586","","printed with a trailing 's'; meaning not explained in the source."),("2220","2220"),("1923","1923")], cz_src)
row("CZ","share_among_non_citizens","percent",[("0,60%","0.60"),("0,46%","0.46"),("0,35%","0.35"),("0,29%","0.29")],"Ibid.")
row("CZ","share_of_population","percent",[("0,03%","0.03"),("0,02%","0.02"),("0,02%","0.02"),("0,02%","0.02")],"Ibid.")
# France
row("FR","number_of_bips","persons",[("228 427 (excluding minors)","228427","excluding minors"),("278 765 (excluding minors)","278765","excluding minors"),("455 295 (including minors)","455295","including minors"),None],"OFPRA Annual report")  # basis not printed
row("FR","share_among_non_citizens","percent",[("5%","5"),("5.7%","5.7"),("8.8%","8.8"),None],"OFPRA and INSEE (calculation FTDA)", note=RECON)
row("FR","share_of_population","percent",[("0.34%","0.34"),("0.41%","0.41"),("0.67%","0.67"),None],"OFPRA and INSEE (calculation FTDA)", note=RECON)
# Greece: columns printed as 2016, 2018, 2020, 2021; refugees and BSPs printed separately (no total)
gr_refs = ["2016","2018","2020","2021"]
gr_src = "Greek Asylum Service/Ministry of Migration: https://migration.gov.gr/statistika/"
gr_note = "Note: The data refers to granted international protection. There is no official data on the number of BIPs in the country. *BSPs = Beneficiaries of Subsidiary Protection"
row("GR","number_of_refugees","persons",[("Refugees: 2,457","2457"),("Refugees: 12,797","12797"),("Refugees: 26,819","26819"),("Refugees: 13,781","13781")], gr_src, gr_note, "flow", gr_refs)
row("GR","number_of_bsps","persons",[("BSPs*: 250","250"),("BSPs: 4,157","4157"),("BSPs: 8,512","8512"),("BSPs: 4,668","4668")], gr_src, gr_note, "flow", gr_refs)
row("GR","share_among_non_citizens","percent",[None]*4,"There is no available statistical data.", refs=gr_refs)
row("GR","share_of_population","percent",[None]*4,"There is no available statistical data. The previous census was held in 2011. The results of the 2021 census concluded in December 2021 have not been published yet on the Hellenic Statistical Authority website.", refs=gr_refs)
# Hungary: columns printed as 2016, 2018, 2020, 2021
hu_refs = ["2016","2018","2020","2021"]
hu_bsp = "*BSPs = Beneficiaries of Subsidiary Protection"
row("HU","number_of_bips","persons",[("3373s (1833 refugees 1540 BSPs*)","3373","","(Transcriber: the number is printed with a trailing 's', '3373s'; the source does not explain it.)"),("3590 (1658 refugees 1932 BSPs)","3590"),("3252 (1511 refugees 1741 BSPs)","3252"),("2956 (1435 refugees 1521 BSPs)","2956")],"Ministry of Interior of Hungary, National Directorate General for Aliens Policing", hu_bsp, refs=hu_refs)
row("HU","number_of_refugees","persons",[("1833 refugees","1833"),("1658 refugees","1658"),("1511 refugees","1511"),("1435 refugees","1435")],"Ministry of Interior of Hungary, National Directorate General for Aliens Policing", refs=hu_refs)
row("HU","number_of_bsps","persons",[("1540 BSPs*","1540"),("1932 BSPs","1932"),("1741 BSPs","1741"),("1521 BSPs","1521")],"Ministry of Interior of Hungary, National Directorate General for Aliens Policing", hu_bsp, refs=hu_refs)
row("HU","share_among_non_citizens","percent",[("1,56%","1.56","including EEA nationals"),("1,36%","1.36","including EEA nationals"),("0,91%","0.91","including EEA nationals"),("0,84%","0.84","including EEA nationals")],"National Directorate General for Aliens Policing","**including EEA nationals", refs=hu_refs)
row("HU","share_of_population","percent",[("0,034%","0.034"),("0,036%","0.036"),("0,033%","0.033"),("0,033%","0.033")],"National Directorate General for Aliens Policing, Ministry of Interior", refs=hu_refs)
# Italy
it_note = ("*By BIPs we only mean refugees and persons with subsidiary protection. (Transcriber: the cell prints no estimate flag; "
           "the Italian data-availability section explains that stocks at 1 January are estimated from flows.)")
row("IT","number_of_bips","persons",[("66.493","66493"),("93.886","93886"),("100.141","100141"),None],"Our processing of Eurostat data", it_note)  # basis not printed
row("IT","share_among_non_citizens","percent",[("1,12%","1.12"),("1,57%","1.57"),("1,69%","1.69"),None],"Our processing of Eurostat, Istat and Ismu Foundation data")
row("IT","share_of_population","percent",[("0,11%","0.11"),("0,15%","0.15"),("0,17%","0.17"),None],"Our processing of Eurostat, Istat and Ismu Foundation data")
# Latvia
row("LV","number_of_bips","persons",[("308","308"),("647","647"),("621","621"),("673","673")],"Office of Citizenship and Migration Affairs, OCMA")
row("LV","share_among_non_citizens","percent",[("0,003%","0.003"),("0,006%","0.006"),("0,006%","0.006"),("0,006%","0.006")],"OCMA", RECON)
row("LV","share_of_population","percent",[("0,0001%","0.0001"),("0,0003%","0.0003"),("0,0003%","0.0003"),("0,0003%","0.0003")],"OCMA", RECON)
# Lithuania
lt_note = "* There is no official data how many BIPs are in the country, only how many of them received status."
for m, u in (("number_of_bips","persons"),("share_among_non_citizens","percent"),("share_of_population","percent")):
    row("LT", m, u, [None]*4, "", lt_note if m == "number_of_bips" else "")
# Netherlands (denominators printed in the share rows)
row("NL","number_of_bips","persons",[("101 744","101744"),("101 837","101837"),("78 911","78911"),"not available"],"Vluchtelingen in Getallen 2018, 2019, 2021")
row("NL","total_non_citizens","persons",[("3 862 753","3862753"),("4 086 138","4086138"),("4 305 908","4305908"),("4 442 184","4442184")],"Statistics on the Dutch population", RECON)
row("NL","share_among_non_citizens","percent",[("2,63%","2.63"),("2,49%","2.49"),("1,83%","1.83"),"not available"],"Statistics on the Dutch population")
row("NL","total_population","persons",[("17 081 507","17081507"),("17 282 163","17282163"),("17 475 415","17475415"),("17 591 394","17591394")],"Statistics on the Dutch population", RECON)
row("NL","share_of_population","percent",[("0,60%","0.60"),("0,59%","0.59"),("0,45%","0.45"),"not available"],"Statistics on the Dutch population")
# Poland
row("PL","number_of_bips","persons",[("258","258","","as printed; the source does not explain the jump to 2019."),("3328","3328"),("2789","2789"),("2155","2155")],"Office for Foreigners")
row("PL","share_among_non_citizens","percent",[None]*4,"")
row("PL","share_of_population","percent",[None]*4,"")
# Romania
ro_note = "*Recognized beneficiaries only (not including asylum seekers still in the asylum procedure)"
row("RO","number_of_bips","persons",[("3,924","3924"),("4,312","4312"),("3,597","3597"),("3,842","3842")],"General Inspectorate for Immigration", ro_note)
row("RO","share_among_non_citizens","percent",[("0,06%","0.06")]*4,"National Statistics Institute")
row("RO","share_of_population","percent",[("less than 0,01%","0.01")]*4,"National Statistics Institute")
# Slovenia
row("SI","number_of_bips","persons",[("395","395"),("539","539"),("787","787"),("796","796")],"OSIM (UOIM)")
row("SI","share_among_non_citizens","percent",[("0.345 %","0.345"),("0.390 %","0.390"),("0.466 %","0.466"),("0.461 %","0.461")],"Calculated from data by SURS", RECON)
row("SI","share_of_population","percent",[("0.019 %","0.019"),("0.025 %","0.025"),("0.037 %","0.037"),("0.038 %","0.038","","A stray '2.107.180' is printed next to this cell (not explained; possibly the population total).")],"Calculated from data by SURS", RECON)
# Spain: flows over the year before
es_note = "*No data on BIPs' stock is available. The figures provided refer to the number of persons who have been recognized for international protection (refugee status and subsidiary protection) over the year before (e.g. 2016 in the first column)."
row("ES","number_of_bips","persons",[("6.855 (during 2016)","6855","during 2016"),("2.895 (during 2018)","2895","during 2018"),("5.758 (during 2020)","5758","during 2020"),("7.371 (during 2021)","7371","during 2021")],"Eurostat and Ministry of Interior", es_note, "flow")
add("ES","humanitarian_permits","2021","(40.726 permits of humanitarian protection were issued, mainly to Venezuelans)","40726","persons","reported","flow","","Eurostat and Ministry of Interior", RECON + " (printed below the number row; assigned to the 2021 column).")
add("ES","humanitarian_permits","2022","(12.983 permits of humanitarian protection were issued, mainly to Venezuelans)","12983","persons","reported","flow","","Eurostat and Ministry of Interior", RECON + " (printed below the number row; assigned to the 2022 column).")
row("ES","share_among_non_citizens","percent",[None]*4,"")
row("ES","share_of_population","percent",[None]*4,"")
# Sweden
se_src = ("Asked for specific statistics from Statistics Sweden. The category BIP includes those who received residency permit on the grounds of protection, "
          "and exclude those who came to/reunited in Sweden as a family member.")
row("SE","number_of_bips","persons",[("579013","579013","","identical to the 2019 figure as printed."),("579013","579013"),("585820","585820"),("594169","594169")], se_src)
row("SE","share_among_non_citizens","percent",[("23.7%","23.7"),("21.7%","21.7"),("20.7%","20.7"),("19.2%","19.2")], se_src)
row("SE","total_non_citizens","persons",[("Total foreign citizens: 897336","897336"),("Total foreign citizens: 940580","940580"),("Total foreign citizens: 905323","905323"),("Total foreign citizens: 880826","880826")], se_src)
row("SE","bips_without_citizenship","persons",[("total BIPs without Swedish citizenship: 212910","212910"),("total BIPs without Swedish citizenship: 204178","204178"),("total BIPs without Swedish citizenship: 187330","187330"),("total BIPs without Swedish citizenship: 168925","168925")], se_src)
row("SE","share_of_population","percent",[("5.7%","5.7"),("5.6%","5.6"),("5.6%","5.6"),("5.7%","5.7")], se_src, RECON)
import io
import sys

sys.path.insert(0, ".")
from niem.core.io import write_text  # noqa: E402

for c, rows in out.items():
    buf = io.StringIO()
    w = csv.DictWriter(buf, COLS, lineterminator="\n")
    w.writeheader(); w.writerows(rows)
    write_text(f"raw/bip_statistics/{c}.csv", buf.getvalue())
print({c: len(r) for c, r in out.items()})
