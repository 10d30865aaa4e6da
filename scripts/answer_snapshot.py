"""Record careerbench's answers to a fixed set of questions, and compare two recordings.

A restructuring should leave every answer as it was, except the defects it means to fix. This
script asks the REST API (in process) and the command line (``--json``, in process) a few hundred
questions on the store at ``$CAREERBENCH_STORE`` and writes every answer to a JSON file; a second
run after the change, then ``compare``, lists what differs.

    CAREERBENCH_STORE=store.duckdb python scripts/answer_snapshot.py record before.json
    ... change the code ...
    CAREERBENCH_STORE=store.duckdb python scripts/answer_snapshot.py record after.json
    python scripts/answer_snapshot.py compare before.json after.json

The pay model must already be trained for the store (``careerbench train``): questions that need
it are answered from the saved model. Timings and file paths are left out of the recording.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
OFFERS = REPO / "tests" / "fixtures" / "offers"
VOLATILE = {"seconds", "loaded_at", "path", "output", "store"}


def _cohort_queries() -> list[dict[str, Any]]:
    roles = ["ml-engineer", "research-scientist", "data-scientist", "software-engineer"]
    levels = ["entry", "senior", "staff"]
    places: list[dict[str, Any]] = [
        {"country": "US"},
        {"metro": "San Francisco"},
        {"metro": "Seattle"},
        {"state": "TX"},
        {"country": "DE"},
    ]
    firms: list[dict[str, Any]] = [{}, {"tier": "big-tech"}, {"company": "Google"}]
    out = []
    for role, level, place, firm in itertools.product(roles, levels, places, firms):
        out.append({"role": role, "level": level} | place | firm)
    out += [
        {"role": "ml-engineer", "level": "senior", "country": "US", "tc": 180_000},
        {"role": "ml-engineer", "level": "senior", "metro": "San Francisco", "tc": 300_000},
        {"role": "ml-engineer", "level": "senior", "country": "US", "base": 150_000},
        {"role": "ml-engineer", "level": "entry", "tier": "startup"},
        {"role": "manager", "level": "principal", "tier": "frontier-lab", "metro": "Boise"},
        {"role": "research-scientist", "level": "staff", "country": "US"},
        {"role": "ml-engineer", "level": "senior", "years": "3-6", "metro": "Seattle"},
        {"role": "data-scientist", "level": "senior", "remote": "remote", "metro": "Seattle"},
        {"role": "ml-engineer", "level": "senior", "since": 2024, "country": "US"},
        {"role": "ml-engineer", "level": "senior", "company": "OpenAI"},
        {"role": "ml-engineer", "level": "senior", "tier": "Big Tech"},
        {},
    ]
    return out


def _estimate_queries() -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    for role, level in itertools.product(
        ["ml-engineer", "research-scientist", "data-scientist"], ["entry", "senior", "staff"]
    ):
        out.append({"role": role, "level": level, "country": "US", "year": 2025})
        out.append({"role": role, "level": level, "company": "Google", "metro": "San Francisco"})
    out += [
        {"role": "ml-engineer", "level": "senior", "tier": "big-tech", "years": 6, "year": 2025},
        {"role": "ml-engineer", "level": "senior", "country": "DE", "year": 2024},
        {"role": "ml-engineer", "level": "senior", "state": "WA", "source": "aijobs"},
    ]
    for query in out:
        query.setdefault("year", 2026)
    return out


def _money_queries() -> list[tuple[str, str, dict[str, Any]]]:
    out: list[tuple[str, str, dict[str, Any]]] = []
    for state, wages, filing in itertools.product(
        ["CA", "NY", "TX", "WA", "IL", "MA", "AL", "CT"], [120_000, 260_000, 900_000], ["single"]
    ):
        out.append(("GET", "/api/tax", {"state": state, "wages": wages, "filing": filing}))
    out.append(("GET", "/api/tax", {"state": "NY", "wages": 250_000, "locality": "nyc"}))
    out.append(("GET", "/api/tax", {"state": "CA", "wages": 400_000, "filing": "married"}))
    for schedule in ["even-4y-quarterly", "5-15-40-40", "33-33-22-12"]:
        out.append(("GET", "/api/vest", {"grant": 400_000, "schedule": schedule}))
    out += [
        ("GET", "/api/places/compare", {"places": ["San Francisco, CA", "remote:Austin, TX"],
                                         "pay": [260_000, 220_000]}),
        ("GET", "/api/places/compare", {"places": ["New York, NY", "Seattle, WA"],
                                         "pay": [250_000]}),
        ("GET", "/api/places/compare", {"places": ["San Francisco, CA", "Austin, TX"],
                                         "role": "ml-engineer", "level": "senior"}),
        ("GET", "/api/places/compare", {"places": ["Seattle, WA", "Denver, CO"],
                                         "role": "data-scientist", "level": "senior"}),
    ]  # fmt: skip
    return out


def _paths_queries() -> list[tuple[str, str, dict[str, Any]]]:
    out: list[tuple[str, str, dict[str, Any]]] = [
        ("GET", "/api/tracks/compare", {"tracks": ["ml-engineer", "research-scientist"]}),
        ("GET", "/api/tracks/compare",
         {"tracks": ["ml-engineer", "research-scientist"], "tier": "big-tech"}),
        ("GET", "/api/tracks/compare",
         {"tracks": ["ml-engineer", "data-scientist", "ai-engineer"], "level": "senior"}),
        ("GET", "/api/tracks/compare",
         {"tracks": ["research-scientist", "academia-tenure-track"]}),
        ("GET", "/api/simulate", {"track": "ml-engineer", "paths": 500}),
        ("GET", "/api/simulate", {"track": "ml-engineer", "tier": "big-tech", "paths": 500}),
        ("GET", "/api/simulate", {"track": "research-scientist", "vs": "ml-engineer",
                                  "tier": "big-tech", "paths": 500}),
        ("GET", "/api/simulate", {"track": "data-scientist", "start_level": "senior",
                                  "metro": "Seattle", "paths": 500}),
        ("GET", "/api/skills/assess", {"have": "deployed-model", "role": "ml-engineer",
                                       "level": "senior"}),
        ("GET", "/api/skills/assess", {"clusters": "rag", "tc": 200_000}),
        ("GET", "/api/trends", {"role": "ml-engineer", "level": "senior"}),
        ("GET", "/api/trends", {"role": "data-scientist"}),
    ]  # fmt: skip
    return out


def _offer(name: str) -> dict[str, Any]:
    import yaml

    document: dict[str, Any] = yaml.safe_load((OFFERS / name).read_text())
    return document


def _body_queries() -> list[tuple[str, str, dict[str, Any]]]:
    big, remote = _offer("bigtech_sf.yaml"), _offer("remote_austin.yaml")
    current, new = _offer("current_job.yaml"), _offer("new_offer_austin.yaml")
    nyc = _offer("startup_nyc.yaml")
    return [
        ("POST", "/api/offers/compare", {"offers": [big, remote], "paths": 500}),
        ("POST", "/api/offers/compare", {"offers": [big, nyc, remote], "paths": 500}),
        ("POST", "/api/switch", {"current": current, "offer": new, "paths": 500}),
        ("POST", "/api/switch", {"current": current, "offer": big, "paths": 500}),
        ("POST", "/api/negotiate", {"offer": new}),
        ("POST", "/api/negotiate", {"offer": new, "competing": [big], "current": current}),
        ("POST", "/api/negotiate", {"offer": big | {"employer": "Databricks"}}),
    ]


def _cli_commands() -> list[list[str]]:
    out = []
    for query in _cohort_queries()[::9]:
        out.append(["benchmark", *_flags(query), "--json"])
    for query in _estimate_queries()[::3]:
        out.append(["estimate", *_flags(query), "--json"])
    out += [
        ["tax", "--state", "CA", "--wages", "260000", "--json"],
        ["tax", "--state", "NY", "--wages", "250000", "--locality", "nyc", "--json"],
        ["places", "compare", "San Francisco, CA", "Austin, TX", "--role", "ml-engineer",
         "--level", "senior", "--json"],
        ["tracks", "compare", "ml-engineer", "research-scientist", "--json"],
        ["simulate", "--track", "research-scientist", "--vs", "ml-engineer", "--tier", "big-tech",
         "--paths", "500", "--json"],
        ["skills", "assess", "--have", "deployed-model", "--role", "ml-engineer", "--level",
         "senior", "--no-measure", "--json"],
        ["trends", "--role", "ml-engineer", "--level", "senior", "--json"],
        ["negotiate", "--offer", str(OFFERS / "new_offer_austin.yaml"), "--json"],
        ["switch", str(OFFERS / "current_job.yaml"), str(OFFERS / "new_offer_austin.yaml"),
         "--paths", "500", "--json"],
        ["offers", "compare", str(OFFERS / "bigtech_sf.yaml"), str(OFFERS / "remote_austin.yaml"),
         "--paths", "500", "--json"],
    ]  # fmt: skip
    return out


def _flags(query: dict[str, Any]) -> list[str]:
    return [part for k, v in query.items() for part in (f"--{k.replace('_', '-')}", str(v))]


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if k not in VOLATILE}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, float):
        return round(value, 6)
    return value


def record(out: Path) -> None:
    from fastapi.testclient import TestClient
    from typer.testing import CliRunner

    from careerbench.api.app import create_app
    from careerbench.cli import app

    client = TestClient(create_app(None))
    answers: dict[str, Any] = {}
    requests: list[tuple[str, str, dict[str, Any]]] = [
        *(("GET", "/api/benchmark", q) for q in _cohort_queries()),
        *(("GET", "/api/estimate", q) for q in _estimate_queries()),
        *_money_queries(),
        *_paths_queries(),
        *_body_queries(),
    ]
    for method, path, params in requests:
        key = f"{method} {path} {json.dumps(params, sort_keys=True)}"
        if method == "GET":
            response = client.get(path, params=params)
        else:
            response = client.post(path, json=params)
        answers[key] = {"status": response.status_code, "body": _clean(response.json())}
    runner = CliRunner()
    for command in _cli_commands():
        result = runner.invoke(app, command)
        key = "CLI " + " ".join(part.replace(str(OFFERS), "offers") for part in command)
        try:
            body: Any = _clean(json.loads(result.stdout))
        except json.JSONDecodeError:
            body = (result.stdout + result.stderr)[-2000:]
        answers[key] = {"status": result.exit_code, "body": body}
    out.write_text(json.dumps(answers, indent=1, sort_keys=True))
    print(f"recorded {len(answers)} answers in {out}")


def _differences(a: Any, b: Any, where: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        found = []
        for k in sorted(set(a) | set(b)):
            if k not in a:
                found.append(f"{where}.{k}: added")
            elif k not in b:
                found.append(f"{where}.{k}: removed")
            else:
                found += _differences(a[k], b[k], f"{where}.{k}")
        return found
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [d for i, (x, y) in enumerate(zip(a, b, strict=True))
                for d in _differences(x, y, f"{where}[{i}]")]  # fmt: skip
    return [] if a == b else [f"{where}: {json.dumps(a)[:160]} -> {json.dumps(b)[:160]}"]


def compare(before: Path, after: Path) -> int:
    a, b = json.loads(before.read_text()), json.loads(after.read_text())
    changed = 0
    for key in sorted(set(a) | set(b)):
        differences = _differences(a.get(key), b.get(key))
        if differences:
            changed += 1
            print(f"## {key}")
            for line in differences[:12]:
                print(f"   {line}")
            if len(differences) > 12:
                print(f"   ... {len(differences) - 12} more")
    print(f"{changed} of {len(set(a) | set(b))} answers differ")
    return 1 if changed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("record").add_argument("out", type=Path)
    both = commands.add_parser("compare")
    both.add_argument("before", type=Path)
    both.add_argument("after", type=Path)
    args = parser.parse_args()
    if args.command == "record":
        record(args.out)
        return 0
    return compare(args.before, args.after)


if __name__ == "__main__":
    sys.exit(main())
