"""The ``oerremix`` command line: parse arguments, call the public API, format, exit.

Exit codes: 0 ok / found, 1 the answer is no (ambiguous, none, not allowed), 2 usage or input
error. Errors are printed as ``oerremix: <what> (<where>)`` on stderr, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, TextIO

from oerremix import __version__
from oerremix.catalog import License, load_catalog
from oerremix.compat import Verdict, check
from oerremix.detect import detect
from oerremix.errors import OerRemixError, ReadError

__all__ = ["main"]

EXIT_OK, EXIT_NO, EXIT_ERROR = 0, 1, 2


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
    if path == "-":
        return sys.stdin.read()
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
    except OerRemixError as exc:
        sys.stderr.write(f"oerremix: {exc}\n")
        return EXIT_ERROR
    except KeyboardInterrupt:
        sys.stderr.write("oerremix: interrupted\n")
        return 130
    except BrokenPipeError:
        return EXIT_OK
