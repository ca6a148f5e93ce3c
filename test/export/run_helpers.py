"""Runs the partition and placeholder helpers of an exported module in isolation (standard library only).

Usage: python3 run_helpers.py FILE < calls.json  ->  JSON list of results.

Only the module-level functions whose names start with '_' are taken from FILE's syntax tree and executed, with the
standard-library names they use; the orchestrator imports at the top of the file are never run. Each call is
["name", arg, ...]; an argument {"moment": ISO, "tz": ZONE} becomes an aware datetime in that zone.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from datetime import date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo


def helpers(path: str) -> dict:
    with open(path, encoding="utf-8") as f:
        tree = ast.parse(f.read(), filename=path)
    wanted = [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("_")]
    namespace = {"re": re, "date": date, "datetime": datetime, "timedelta": timedelta, "timezone": timezone, "ZoneInfo": ZoneInfo}
    exec(compile(ast.Module(body=wanted, type_ignores=[]), path, "exec"), namespace)
    return namespace


def argument(value):
    if isinstance(value, dict) and "moment" in value:
        return datetime.fromisoformat(value["moment"].replace("Z", "+00:00")).astimezone(ZoneInfo(value["tz"]))
    return value


if __name__ == "__main__":
    namespace = helpers(sys.argv[1])
    results = []
    for name, *args in json.load(sys.stdin):
        result = namespace[name](*[argument(a) for a in args])
        results.append(list(result) if isinstance(result, tuple) else result)
    json.dump(results, sys.stdout)
