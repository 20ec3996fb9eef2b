"""The ``oerremix`` command line: parse arguments, call the public API, format, exit.

Exit codes: 0 ok / found, 1 the answer is no (ambiguous, none, not allowed), 2 usage or input
error. Errors are printed as ``oerremix: <what> (<where>)`` on stderr, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from oerremix import __version__
from oerremix._parallel import MIN_PER_JOB
from oerremix.attribution import FORMATS, attribution_languages, attribution_record, render
from oerremix.catalog import License, load_catalog
from oerremix.compat import Verdict, check
from oerremix.detect import detect
from oerremix.errors import IncompatibleLicensesError, OerRemixError, ReadError
from oerremix.model import Work

__all__ = ["main"]

EXIT_OK, EXIT_NO, EXIT_ERROR = 0, 1, 2
_STEP = re.compile(r"\[(\d+)/(\d+)\] ")  # a counted progress step: "[3/12] …"


class _UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse calls sys.exit; we return 2 instead
        raise _UsageError(f"{self.prog}: {message}")


def _license_dict(lic: License) -> dict[str, Any]:
    adaptation = lic.adaptation
    catalog = load_catalog()
    return {
        "id": lic.id,
        "spdx": lic.spdx,
        "spdx_id": lic.spdx_id,
        "category": lic.category,
        "family": lic.family,
        "short_name": lic.short_name,
        "names": dict(lic.names),
        "variant_names": {
            lang: [n for l2, n in lic.variant_names if l2 == lang] for lang, _ in lic.variant_names
        },
        "unit": lic.unit,
        "version": lic.version,
        "jurisdiction": lic.jurisdiction,
        "jurisdiction_name": lic.jurisdiction_name,
        "url": lic.url,
        "legalcode_url": lic.legalcode_url,
        "aliases": list(lic.aliases),
        "patterns": list(lic.patterns),
        "permits": sorted(lic.permits),
        "requires": sorted(lic.requires),
        "prohibits": sorted(lic.prohibits),
        "deprecated_on": lic.deprecated_on,
        "replaced_by": lic.replaced_by,
        "new_work": lic.new_work,
        "adaptation": {
            "share": adaptation.share,
            "recommended": sorted(catalog.adapter_licenses(lic, "recommended")),
            "discouraged": sorted(catalog.adapter_licenses(lic, "discouraged")),
            "basis": adaptation.basis,
        },
        "sources": list(lic.sources),
    }


def _print_json(data: Any, out: TextIO) -> None:
    out.write(json.dumps(data, indent=2, ensure_ascii=False) + "\n")


def _cmd_license_list(args: argparse.Namespace, out: TextIO) -> int:
    catalog = load_catalog()
    rows = sorted(catalog, key=lambda lic: lic.id)
    if args.json:
        _print_json(
            [
                {"id": lic.id, "short_name": lic.short_name, "name": lic.name(), "url": lic.url}
                for lic in rows
            ],
            out,
        )
        return EXIT_OK
    width = max(len(lic.id) for lic in rows)
    for lic in rows:
        retired = "  (retired)" if lic.is_deprecated else ""
        out.write(f"{lic.id:<{width}}  {lic.name()}{retired}\n")
    return EXIT_OK


def _cmd_license_show(args: argparse.Namespace, out: TextIO) -> int:
    lic = load_catalog().get(args.license)
    data = _license_dict(lic)
    if args.json:
        _print_json(data, out)
        return EXIT_OK
    out.write(f"{lic.id}  {lic.short_name}\n")
    for key, value in data.items():
        if key in ("id", "short_name"):
            continue
        if isinstance(value, dict):
            out.write(f"{key}:\n")
            for sub, item in value.items():
                shown = ", ".join(item) if isinstance(item, list) else item
                out.write(f"  {sub}: {shown}\n")
        else:
            shown = ", ".join(value) if isinstance(value, list) else value
            out.write(f"{key}: {shown}\n")
    return EXIT_OK


def _read_input(path: str) -> str:
    if path == "-":  # its bytes, decoded as a file's are (not as the locale says, strictly)
        stdin = getattr(sys.stdin, "buffer", None)
        return sys.stdin.read() if stdin is None else stdin.read().decode("utf-8", "replace")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        raise ReadError(exc.strerror or "cannot read file", source=path) from None
    return data.decode("utf-8", errors="replace")


def _cmd_detect(args: argparse.Namespace, out: TextIO) -> int:
    result = detect(_read_input(args.file))
    if args.json:
        _print_json(result.to_dict(), out)
    else:
        if result.license is not None:
            out.write(f"found: {result.license.id} ({result.license.name()})\n")
        elif result.status == "ambiguous":
            listed = ", ".join(result.candidates) or "any Creative Commons licence"
            out.write(f"ambiguous: the statements could mean {listed}\n")
        else:
            out.write("none: no licence statement found\n")
        for ev in result.evidence:
            out.write(f"  {ev.kind}: {ev.match!r} at {ev.where}\n")
    return EXIT_OK if result.status == "found" else EXIT_NO


def _names(ids: Sequence[str], limit: int = 8) -> str:
    catalog = load_catalog()
    shown = ", ".join(catalog.get(i).short_name for i in ids[:limit])
    more = len(ids) - limit
    return f"{shown} and {more} more (--json lists them all)" if more > 0 else shown


def _print_verdict(verdict: Verdict, out: TextIO) -> None:
    catalog = load_catalog()
    if verdict.allowed:
        out.write(f"allowed: this {verdict.kind} may be published.\n")
        if verdict.recommended:
            lic = catalog.get(verdict.recommended)
            out.write(f"recommended licence: {lic.short_name} ({lic.url})\n")
        if verdict.may_license_as:
            out.write(f"may be licensed as: {_names(verdict.may_license_as)}\n")
        if verdict.discouraged:
            out.write(f"technically permitted, discouraged: {_names(verdict.discouraged)}\n")
    else:
        out.write(f"not allowed: this {verdict.kind} may not be published.\n")
    for conflict in verdict.conflicts:
        out.write(f"- {conflict.reason}\n")
        if conflict.fix:
            out.write(f"  fix: {conflict.fix}\n")
    if verdict.obligations:
        out.write("you must:\n")
        for item in verdict.obligations:
            out.write(f"- {item}\n")
    for warning in verdict.warnings:
        out.write(f"warning: {warning}\n")
    for reason in verdict.intended_reasons:
        out.write(f"intended: {reason}\n")


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    verdict = check(args.sources, kind=args.kind, intended=args.intended, lang=args.lang)
    if args.json:
        _print_json(verdict.to_dict(), out)
    else:
        _print_verdict(verdict, out)
    ok = verdict.allowed and verdict.intended_allowed is not False
    return EXIT_OK if ok else EXIT_NO


def _cmd_attribute(args: argparse.Namespace, out: TextIO) -> int:
    record = attribution_record(Work.from_file(args.file), lang=args.lang)
    for warning in record.warnings:
        sys.stderr.write(f"oerremix: warning: {warning} ({args.file})\n")
    out.write(render(record, args.format, medium=args.medium))
    return EXIT_OK


def _inspect_text(work: Work, out: TextIO) -> None:
    catalog = load_catalog()

    def licence(lic_id: str | None) -> str:
        found = catalog.find(lic_id) if lic_id else None
        return found.short_name if found else "unknown"

    status = work.provenance.license_status if work.provenance else "none"
    out.write(f"title: {work.title or '(none)'}\n")
    out.write(f"licence: {licence(work.license)} ({status})\n")
    if work.authors:
        out.write(f"authors: {', '.join(a.name for a in work.authors)}\n")
    for label, value in (
        ("url", work.url),
        ("language", work.language),
        ("copyright", work.copyright),
    ):
        if value:
            out.write(f"{label}: {value}\n")
    for depth, source in work.lineage():
        out.write(
            f"{'  ' * depth}based on: {source.title or source.url} ({licence(source.license)})\n"
        )
    if work.provenance:
        for ev in work.provenance.license_evidence:
            out.write(f"  evidence: {ev.kind}: {ev.match!r} at {ev.where}\n")
    out.write(f"sections: {len(work.sections)}\n")
    for section in work.sections:
        own = f"  [{licence(section.license)}]" if section.license else ""
        out.write(f"{'  ' * section.level}{section.id}: {section.title or ''}{own}\n")
    out.write(f"assets: {len(work.assets)}\n")
    for asset in work.assets:
        how = " (inherited)" if asset.license_inherited else ""
        credit = f" — {asset.credit}" if asset.credit else ""
        out.write(f"  {asset.kind} {asset.source}: {licence(asset.license)}{how}{credit}\n")
    problems = []
    if status in ("ambiguous", "conflict", "none"):
        problems.append(f"the work's licence is {status}: oerremix will not guess it")
    unknown = [a.source for a in work.assets if a.license is None]
    if unknown:
        problems.append(f"{len(unknown)} asset(s) with no known licence")
    for problem in problems:
        out.write(f"problem: {problem}\n")


def _cmd_inspect(args: argparse.Namespace, out: TextIO) -> int:
    from oerremix.readers import read

    work = read(args.source, format=args.format)
    if args.json:
        _print_json(work.to_dict(), out)
    else:
        _inspect_text(work, out)
    return EXIT_OK


def _jobs(value: str) -> int:
    """``--jobs``: a positive number, or ``auto`` (0: one per CPU, at most 8)."""
    if value == "auto":
        return 0
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number or auto, not {value!r}")
    return int(value)


def _jobs_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-j", "--jobs", type=_jobs, default=0, metavar="N",
        help="processes for a long Markdown book (reading it, making its EPUB pages): a "
        "number, or auto (one per CPU, at most 8; the default); a book of fewer than "
        f"{2 * MIN_PER_JOB} chapters is read in one",
    )  # fmt: skip


def _cmd_build(args: argparse.Namespace, out: TextIO) -> int:
    from oerremix.remix import build

    def progress(message: str) -> None:
        if not sys.stderr.isatty():  # a log: one line per step
            sys.stderr.write(f"oerremix: {message}\n")
        else:  # a terminal: one line redrawn, with a bar for the counted steps ([3/12] …)
            step = _STEP.match(message)
            bar = ""
            if step:
                done, total = int(step.group(1)), max(1, int(step.group(2)))
                filled = round(20 * done / total)
                bar = f"[{'#' * filled}{'.' * (20 - filled)}] "
                message = message[step.end() :]
            sys.stderr.write(f"\r\033[K{bar}{message[:60]}")
        sys.stderr.flush()

    result = build(args.recipe, args.out, formats=args.format or None, frozen=args.frozen,
                   progress=None if args.quiet else progress, jobs=args.jobs)  # fmt: skip
    if sys.stderr.isatty() and not args.quiet:
        sys.stderr.write("\r\033[K")
    for warning in result.warnings:
        sys.stderr.write(f"oerremix: warning: {warning}\n")
    lic = load_catalog().get(result.work.license or "UNKNOWN")
    out.write(
        f"built {', '.join(result.outputs)} in {result.out} — licensed under {lic.short_name}\n"
    )
    return EXIT_OK


def _cmd_audit(args: argparse.Namespace, out: TextIO) -> int:
    import os
    import tempfile

    from oerremix import audit
    from oerremix.audit import format_html, format_json, format_text, load_policy
    from oerremix.errors import WriteError

    report_file = args.html if args.html and os.path.isfile(args.html) else None
    for what, given in (("the book it audits", args.source), ("the policy", args.policy)):
        # the report is written over --html's file: never over what the audit reads
        if report_file and given and os.path.exists(given) and os.path.samefile(report_file, given):
            raise WriteError(
                f"the HTML report would replace {what}: choose another file", path=report_file
            )
    policy = load_policy(args.policy) if args.policy else None
    tty = sys.stderr.isatty()

    def progress(message: str) -> None:
        # every section on a terminal; in a CI log, every 25th and the last
        step = _STEP.match(message)
        if not tty and step and step[1] != step[2] and int(step[1]) % 25:
            return
        sys.stderr.write(f"\r\033[K{message}" if tty else f"oerremix: {message}\n")
        sys.stderr.flush()

    report = audit(args.source, policy=policy, check_links=args.check_links, format=args.format,
                   progress=None if args.quiet else progress, jobs=args.jobs)  # fmt: skip
    if tty and not args.quiet:
        sys.stderr.write("\r\033[K")
    if args.html:
        folder = os.path.dirname(os.path.abspath(args.html))
        try:
            fd, temporary = tempfile.mkstemp(prefix=".audit-", suffix=".html", dir=folder)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(format_html(report))
            os.replace(temporary, args.html)
        except OSError as exc:
            raise WriteError(exc.strerror or "cannot write", path=args.html) from None
    out.write(format_json(report) if args.json else format_text(report, verbose=args.verbose))
    level = args.fail_on or (policy.fail_on if policy else None) or "error"
    return EXIT_NO if report.fails(level) else EXIT_OK


def _parser() -> _Parser:
    parser = _Parser(prog="oerremix", description="Remix open educational resources safely.")
    parser.add_argument("--version", action="version", version=f"oerremix {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    lic = commands.add_parser("license", help="list or show licences in the catalogue")
    lic_commands = lic.add_subparsers(dest="license_command", required=True, parser_class=_Parser)
    lst = lic_commands.add_parser("list", help="list every licence")
    lst.add_argument("--json", action="store_true", help="print JSON")
    lst.set_defaults(func=_cmd_license_list)
    show = lic_commands.add_parser("show", help="show every fact about one licence")
    show.add_argument("license", metavar="ID-OR-URL")
    show.add_argument("--json", action="store_true", help="print JSON")
    show.set_defaults(func=_cmd_license_show)

    det = commands.add_parser("detect", help="find the licence stated in a file")
    det.add_argument("file", metavar="FILE", help="a file to examine, or - for standard input")
    det.add_argument("--json", action="store_true", help="print JSON")
    det.set_defaults(func=_cmd_detect)

    chk = commands.add_parser("check", help="may these licences be remixed, and as what?")
    chk.add_argument("sources", nargs="+", metavar="ID-OR-URL", help="the sources' licences")
    chk.add_argument("--kind", choices=["adaptation", "collection"], default="adaptation")
    chk.add_argument("--intended", metavar="ID", help="the licence you want the result to carry")
    chk.add_argument("--lang", default="en", help="language of the explanations (en, fr)")
    chk.add_argument("--json", action="store_true", help="print JSON")
    chk.set_defaults(func=_cmd_check)

    ins = commands.add_parser("inspect", help="read a resource and show what oerremix found")
    ins.add_argument("source", metavar="SOURCE", help="a file, a folder or an http(s) URL")
    ins.add_argument("--format", help="force a reader (html, markdown, pressbooks, …)")
    ins.add_argument("--json", action="store_true", help="print the Work as JSON")
    ins.set_defaults(func=_cmd_inspect)

    bld = commands.add_parser("build", help="build the packages a recipe describes")
    bld.add_argument("recipe", metavar="RECIPE", help="the recipe (YAML)")
    bld.add_argument("-o", "--out", help="output folder (default: build/ beside the recipe)")
    bld.add_argument(
        "--format", action="append", choices=["html", "epub", "imscc", "markdown"],
        help="build only this format (repeatable; default: the recipe's outputs)",
    )  # fmt: skip
    bld.add_argument("--frozen", action="store_true", help="refuse if a remote source changed")
    _jobs_option(bld)
    bld.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    bld.set_defaults(func=_cmd_build)

    aud = commands.add_parser("audit", help="check every licence, credit and change in a book")
    aud.add_argument("source", metavar="SOURCE", help="a book: a file, a folder or an http(s) URL")
    aud.add_argument("--format", help="force a reader (html, markdown, pressbooks, …)")
    aud.add_argument("--policy", metavar="FILE", help="a policy file (YAML): target, allow_nc …")
    aud.add_argument(
        "--fail-on", choices=["error", "warning"],
        help="exit 1 when a finding is at least this severe (default: error, or the policy's)",
    )  # fmt: skip
    aud.add_argument("--check-links", action="store_true", help="fetch every source link")
    _jobs_option(aud)
    aud.add_argument("--json", action="store_true", help="print the report as JSON")
    aud.add_argument("--html", metavar="FILE", help="also write the HTML report to FILE")
    aud.add_argument("-v", "--verbose", action="store_true", help="show info findings too")
    aud.add_argument("-q", "--quiet", action="store_true", help="no progress messages")
    aud.set_defaults(func=_cmd_audit)

    att = commands.add_parser("attribute", help="write the attribution and credits of a work")
    att.add_argument("file", metavar="FILE", help="a Work as YAML (.yaml, .yml) or JSON (.json)")
    att.add_argument("--format", choices=FORMATS, default="html", help="output format")
    att.add_argument(
        "--lang", choices=attribution_languages(), default="en", help="language of the words"
    )
    att.add_argument(
        "--medium",
        choices=["online", "print"],
        default="online",
        help="print spells every URL out",
    )
    att.set_defaults(func=_cmd_attribute)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    try:
        args = _parser().parse_args(argv)
        code: int = args.func(args, sys.stdout)
        return code
    except _UsageError as exc:
        sys.stderr.write(f"{exc}\n")
        return EXIT_ERROR
    except IncompatibleLicensesError as exc:  # the answer is no: the remix is not allowed
        sys.stderr.write(f"oerremix: {exc}\n")
        return EXIT_NO
    except OerRemixError as exc:
        sys.stderr.write(f"oerremix: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("oerremix: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
