"""The audit's policy file: what a publishing pipeline requires of a book, read from YAML.

:func:`load_policy` checks every key and value and reports every problem at once; it is public
as :func:`oerremix.audit.load_policy`, and the ``--policy`` option of ``oerremix audit`` uses it.
"""

from __future__ import annotations

import difflib
import os
from pathlib import Path
from typing import Any

import yaml

from oerremix._audit_report import RULES, SEVERITIES, FairDealing, Policy
from oerremix.catalog import Catalog, load_catalog
from oerremix.errors import ReadError

__all__ = ["load_policy"]

_POLICY_KEYS = ("target", "allow_nc", "fair_dealing", "fail_on", "severity", "ignore")
_FAIR_DEALING: tuple[FairDealing, ...] = ("forbidden", "allowed_with_note", "allowed")


def load_policy(path: str | os.PathLike[str], *, catalog: Catalog | None = None) -> Policy:
    """Read a policy file (YAML), e.g.::

        target: CC-BY-4.0            # the licence the book must be published under
        allow_nc: false              # the book is offered for commercial use
        fair_dealing: allowed_with_note

    Every problem is reported at once, each with its line, in one
    :class:`~oerremix.errors.ReadError` naming the file.
    """
    source = os.fspath(path)
    try:
        text = Path(source).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ReadError("not UTF-8 text", source=source) from None
    except OSError as exc:
        raise ReadError(exc.strerror or "cannot read", source=source) from None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise ReadError(f"not valid YAML: {problem}", source=source, line=line) from None
    if root is None:
        return Policy(source=source)
    if not isinstance(root, yaml.MappingNode) or not isinstance(data, dict):
        raise ReadError("a policy is a mapping of keys to values", source=source, line=1)
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in root.value}
    problems: list[str] = []
    cat = catalog or load_catalog()
    values: dict[str, Any] = {"source": source}
    for key, value in data.items():
        where = f"{source}:{lines.get(str(key), 1)}: {key}"
        if key == "target":
            lic = cat.find(value) if isinstance(value, str) else None
            if lic is None:
                close = cat.suggest(value)[:1] if isinstance(value, str) else []
                problems.append(
                    f"{where}: unknown licence {value!r}"
                    + (f"; did you mean {close[0]}?" if close else "")
                )
            else:
                values[key] = lic.id
        elif key == "allow_nc":
            if isinstance(value, bool):
                values[key] = value
            else:
                problems.append(f"{where}: expected true or false, got {value!r}")
        elif key in ("fair_dealing", "fail_on"):
            allowed: tuple[str, ...] = _FAIR_DEALING if key == "fair_dealing" else SEVERITIES[:2]
            if value in allowed:
                values[key] = value
            else:
                problems.append(f"{where}: expected one of {', '.join(allowed)}, got {value!r}")
        elif key == "severity":
            pairs = value.items() if isinstance(value, dict) else []
            if not isinstance(value, dict):
                problems.append(f"{where}: expected a mapping of rule ids to a severity")
            bad = [str(r) for r, level in pairs if r not in RULES or level not in SEVERITIES]
            if bad:
                problems.append(f"{where}: unknown rule or severity for {', '.join(bad)}")
            values[key] = tuple(
                (str(r), level) for r, level in pairs if r in RULES and level in SEVERITIES
            )
        elif key == "ignore":
            rules = value if isinstance(value, list) else [value]
            unknown = [str(r) for r in rules if r not in RULES]
            if unknown:
                problems.append(f"{where}: unknown rule(s) {', '.join(unknown)}")
            values[key] = tuple(str(r) for r in rules if r in RULES)
        else:
            near = difflib.get_close_matches(str(key), _POLICY_KEYS, n=1)
            hint = f"did you mean {near[0]!r}?" if near else "expected " + ", ".join(_POLICY_KEYS)
            problems.append(f"{where}: unknown key; {hint}")
    if problems:
        count = f"{len(problems)} problem{'s' if len(problems) > 1 else ''}"
        raise ReadError(f"invalid policy, {count}:\n" + "\n".join(problems), source=source)
    return Policy(**values)
