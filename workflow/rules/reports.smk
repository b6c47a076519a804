# Country and comparative reports (issue 5). The .qmd sources are generated from the Jinja2
# templates in workflow/report/ and contain no code; figures and tables come from results/.
# A country report reads only its own country's files, so changing one country re-renders that
# country's report and the comparative one. Its cross-country numbers (rank, change intervals)
# come through a checkpoint: after it runs, Snakemake re-evaluates the DAG and skips reports
# whose extract came out unchanged (same checksum), i.e. the other countries'.
from niem.reports.render import RenderError, choose_engine
from niem.reports.tables import EXTRACTS

try:
    REPORT_ENGINE = choose_engine(config["report_engine"])
except RenderError as exc:
    raise SystemExit(f"{exc}\nNothing was run.")

REPORT_TEMPLATES = source_file("workflow/report")
# What a report is made with besides its tables: templates, stylesheet, filter and the report
# code (Snakemake tracks a rule's script, not the modules it imports): every module of the reports
# stage and the escaping of free text, so editing any of them re-renders the reports.
# Quarto's own options count only when Quarto renders (niem/reports/render.py).
QUARTO_FILES = ("quarto-options.yml",) if REPORT_ENGINE == "quarto" else ()
REPORT_CODE = [f"{REPORT_TEMPLATES}/{name}" for name in ("report.css", "callout.lua", "rowheaders.lua", "print.typ.j2", "print_title.typ.j2", *QUARTO_FILES)] + [
    f"{REPORT_TEMPLATES}/sections/{path.name}" for path in sorted(Path(workflow.basedir, "workflow", "report", "sections").glob("*.j2"))] + [
    source_file(os.path.relpath(path, workflow.basedir))
    for path in [*sorted(Path(workflow.basedir, "niem", "reports").glob("*.py")), Path(workflow.basedir, "niem", "core", "safety.py")]]

# Not "change": a country report shows it through its report_change extract (with the model interval).
# The clarification items go to the QA annex (reports/qa/), but the readers' report counts them.
COUNTRY_REPORT_TABLES = [*(t for t in COUNTRY_TABLES if t != "change"), "clarification_items"]
COMPARATIVE_TABLES = ["overall_scores", "dimension_scores", "robustness_scores", "change_models", "paired_tests",
                      "convergence", "availability_audit", "bip_statistics_availability", "published_figures_check",
                      "area_scores", "overall_step_scores", "change", "findings", "comparative_conclusions"]


def report_extract(name, country="{country}"):
    return f"{RESULTS}/report_extracts/{country}/{name}.parquet"


checkpoint report_extracts:
    input:
        robustness=rules.robustness.output.scores,
        change=rules.combine_tables.output.change,
        intervals=f"{RESULTS}/country_change_intervals.parquet",
        drivers=f"{RESULTS}/change_drivers.parquet",
        overall=rules.combine_tables.output.overall_scores,
        dimensions=rules.combine_tables.output.dimension_scores,
    output:
        **{name: [report_extract(name, c) for c in COUNTRIES] for name in EXTRACTS},
    params:
        countries=COUNTRIES,
    log:
        "logs/report_extracts.log",
    script:
        "../../scripts/report_extracts.py"


def country_report_inputs(wildcards):
    checkpoints.report_extracts.get()  # re-evaluate after the extracts exist (see the top of this file)
    return {
        "codebook": rules.compile_codebook.output.json,
        "template": f"{REPORT_TEMPLATES}/country.qmd.j2",
        "qa_template": f"{REPORT_TEMPLATES}/qa.qmd.j2",
        "code": REPORT_CODE,
        **{name: country_table(name, wildcards.country) for name in COUNTRY_REPORT_TABLES},
        **{name: report_extract(name, wildcards.country) for name in EXTRACTS},
        "registers": country_registers(wildcards),  # resolved items: the QA annex lists them apart, the readers' report leaves them out
    }


def country_pending(wildcards):
    """The country's rounds whose evidence is not imported yet (allow_pending_rounds): a parameter,
    so importing one country's file re-renders only its reports and the comparative ones."""
    return [p for p in PENDING if p["country"] == wildcards.country]


# One job per country renders its readers' report (HTML and PDF) and its quality-assurance annex for
# the national researcher (HTML only: the clarification items resolved against the country's own
# resolution registers, open and re-opened ones, then the resolved ones); the readers' report
# leaves the items out. One job, because a job's start-up and imports (pandas, matplotlib) cost
# more than rendering the annex.
rule country_report:
    input:
        unpack(country_report_inputs),
    output:
        html=f"{REPORTS}/country/{{country}}.html",
        pdf=f"{REPORTS}/country/{{country}}.pdf",
        qmd=f"{REPORTS}/_work/country/{{country}}/{{country}}.qmd",
        qa_html=f"{REPORTS}/qa/{{country}}.html",
        qa_qmd=f"{REPORTS}/_work/qa/{{country}}/{{country}}.qmd",
    params:
        tables=[*COUNTRY_REPORT_TABLES, *EXTRACTS],
        engine=REPORT_ENGINE,
        rounds=config["rounds"],
        countries=COUNTRY_NAMES,
        stable_threshold=config["analysis"]["stable_threshold"],
        pending=country_pending,
    log:
        "logs/reports/{country}.log",
    script:
        "../../scripts/country_report.py"


# The comparative report, and the quality-assurance summary over every country (HTML only, from the
# clarification queue's summary), in one job for the same reason as the country reports.
rule comparative_report:
    input:
        codebook=rules.compile_codebook.output.json,
        template=f"{REPORT_TEMPLATES}/comparative.qmd.j2",
        qa_template=f"{REPORT_TEMPLATES}/qa.qmd.j2",
        code=REPORT_CODE,
        **{name: f"{RESULTS}/{name}.parquet" for name in COMPARATIVE_TABLES},
        clarification_summary=rules.clarification_queue.output.summary,
    output:
        html=f"{REPORTS}/comparative/comparative.html",
        pdf=f"{REPORTS}/comparative/comparative.pdf",
        qmd=f"{REPORTS}/_work/comparative/comparative.qmd",
        qa_html=f"{REPORTS}/qa/summary.html",
        qa_qmd=f"{REPORTS}/_work/qa/summary/summary.qmd",
    params:
        tables=COMPARATIVE_TABLES,
        engine=REPORT_ENGINE,
        rounds=config["rounds"],
        countries=COUNTRY_NAMES,
        pending=PENDING,
    log:
        "logs/reports/comparative.log",
    # The longest job of the build (figures over all countries, the PDF's register annex): started
    # first among the ready jobs, the country reports fill the other cores beside it instead of
    # one core idling while it runs last.
    priority: 10
    script:
        "../../scripts/comparative_report.py"


rule render_info:
    output:
        info=f"{REPORTS}/render_info.json",
    params:
        engine=REPORT_ENGINE,
    log:
        "logs/reports/render_info.log",
    script:
        "../../scripts/render_info.py"


# The extracts are targets too: if they are missing (deleted, or their job failed), Snakemake
# would otherwise see up-to-date reports and never ask the checkpoint for them.
rule reports:
    input:
        rules.report_extracts.output,
        expand(f"{REPORTS}/country/{{country}}.{{ext}}", country=COUNTRIES, ext=["html", "pdf"]),
        rules.comparative_report.output.html,
        rules.comparative_report.output.pdf,
        expand(f"{REPORTS}/qa/{{country}}.html", country=COUNTRIES),
        rules.comparative_report.output.qa_html,
        rules.render_info.output.info,
