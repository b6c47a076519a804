"""``python -m niem.collect``: questionnaires, imports, clarification workbooks, a new round
(docs/collection.md). Bad input ends with one message naming sheet, row and column, exit status 1,
and nothing written."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..core.errors import InputError
from .workbook import WorkbookError


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m niem.collect", description=__doc__.split("\n\n")[0])
    p.add_argument("--config", default="config/config.yaml", help="configuration file (default: %(default)s)")
    sub = p.add_subparsers(dest="command", required=True)
    q = sub.add_parser("questionnaires", help="write questionnaire workbooks questionnaires/{round}/{CODE}.xlsx")
    q.add_argument("round")
    q.add_argument("--country", action="append", help="only this country (repeatable); default: every configured one")
    q.add_argument("--prefill", action="store_true", help="pre-fill the answer, source and note inputs with the previous round's")
    q.add_argument("--out", default="questionnaires", help="folder (default: %(default)s)")
    i = sub.add_parser("import", help="validate a filled questionnaire and write raw/evidence/{round}/{CODE}.csv")
    i.add_argument("workbook")
    i.add_argument("--replace", action="store_true", help="overwrite an existing evidence file that differs")
    c = sub.add_parser("clarification", help="write clarification workbooks clarification/{round}/{CODE}.xlsx from the queue")
    c.add_argument("round")
    c.add_argument("--country", action="append", help="only this country (repeatable)")
    c.add_argument("--queue", help="queue file (default: {results_dir}/clarification/{round}.parquet)")
    c.add_argument("--out", default="clarification", help="folder (default: %(default)s)")
    ic = sub.add_parser("import-clarification", help="apply a filled clarification workbook: corrections to the evidence "
                        "file, confirmations to raw/clarifications/{round}/{CODE}.csv")
    ic.add_argument("workbook")
    n = sub.add_parser("new-round", help="add a round to the configuration and write its questionnaires")
    n.add_argument("round")
    n.add_argument("--label", required=True)
    n.add_argument("--reference-date", required=True, help="YYYY-MM-DD")
    n.add_argument("--prefill", action="store_true")
    n.add_argument("--out", default="questionnaires")
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args)
    except (InputError, WorkbookError) as exc:
        print(exc, file=sys.stderr)
        print("Nothing was written.", file=sys.stderr)
        return 1


def _dispatch(args) -> int:
    from .project import import_questionnaire, load_project, write_questionnaire

    if args.command == "new-round":
        from .rounds import add_round

        add_round(args.config, args.round, args.label, args.reference_date)
        print(f"{args.config}: round {args.round} ({args.label}, reference date {args.reference_date}) added")
        args.country = None
    project = load_project(args.config)
    if args.command in ("questionnaires", "new-round"):
        _check_choice(args.round, project.rounds, "round")
        for code in args.country or project.countries:
            _check_choice(code, project.countries, "country")
            out = Path(args.out) / args.round / f"{code}.xlsx"
            write_questionnaire(project, code, args.round, out, prefill=args.prefill)
            print(f"wrote {out}")
        return 0
    if args.command == "import":
        print(import_questionnaire(project, args.workbook, replace=args.replace).message)
        return 0
    from .clarify import import_clarification, write_clarification

    if args.command == "clarification":
        _check_choice(args.round, project.rounds, "round")
        queue = args.queue or str(Path(project.config["results_dir"]) / "clarification" / f"{args.round}.parquet")
        for code in args.country or project.countries:
            _check_choice(code, project.countries, "country")
            out = Path(args.out) / args.round / f"{code}.xlsx"
            n = write_clarification(project, queue, code, args.round, out)
            print(f"wrote {out} ({n} items)")
        return 0
    print(import_clarification(project, args.workbook))
    return 0


def _check_choice(value: str, choices: list[str], what: str) -> None:
    from ..core.errors import Problem

    if value not in choices:
        raise InputError([Problem("command line", None, what, f"unknown {what} '{value}'; configured: {', '.join(choices)}")])
