"""The money commands through the installed ``careerbench`` entry point (real processes)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from careerbench.money.tax import compute_tax

OFFERS = Path(__file__).parent / "fixtures" / "offers"
BIN = Path(sys.executable).with_name("careerbench")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    command = [str(BIN)] if BIN.exists() else [sys.executable, "-m", "careerbench"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, timeout=120, env=os.environ.copy()
    )


def test_tax_json() -> None:
    result = run("tax", "--state", "CA", "--wages", "260000", "--year", "2025", "--json")
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document == json.loads(json.dumps(compute_tax(260_000, "CA", "single").to_dict()))
    # California's $19,959 is itemized over the $15,750 standard deduction.
    assert document["state_income_tax"] == 19_959
    assert document["deductions"]["federal"] == "itemized"
    assert document["deductions"]["federal_amount"] == 19_959
    assert document["payroll_tax"] == pytest.approx(10_918.2 + 3_770 + 540 + 3_120)
    assert document["after_tax"] == pytest.approx(260_000 - document["total_tax"])
    standard = json.loads(
        run("tax", "--state", "CA", "--wages", "260000", "--deduction", "standard", "--json").stdout
    )
    assert standard["federal_income_tax"] == 55_223
    assert standard["federal_income_tax"] - document["federal_income_tax"] == pytest.approx(
        0.32 * (19_959 - 15_750),
        abs=1,  # the 32% bracket
    )
    paid = json.loads(
        run("tax", "--state", "CA", "--wages", "260000", "--property-tax", "9000", "--json").stdout
    )
    # The property tax is itemized in California too, lowering the state tax on the SALT line.
    assert paid["deductions"]["state"] == "itemized" and paid["state_income_tax"] < 19_959
    assert paid["deductions"]["federal_amount"] == 9_000 + paid["state_income_tax"]
    married = json.loads(
        run("tax", "--state", "TX", "--wages", "300000", "--filing", "married", "--json").stdout
    )
    assert married["filing"] == "married" and married["payroll"]["additional_medicare"] == 450
    wrong = run("tax", "--state", "CA", "--wages", "1", "--deduction", "itemise")
    assert wrong.returncode == 2 and "deduction" in wrong.stderr and "Traceback" not in wrong.stderr


def test_vest_json() -> None:
    result = run("vest", "--grant", "400000", "--schedule", "5-15-40-40", "--years", "4", "--json")
    assert result.returncode == 0, result.stderr
    years = [y["vested_value"] for y in json.loads(result.stdout)["years"]]
    assert years == [20_000, 60_000, 160_000, 160_000]
    cliff = run("vest", "--grant", "480000", "--schedule", "33-33-22-12", "--cliff-months", "12")
    assert cliff.returncode == 0 and "$158,400" in cliff.stdout


def test_offers_compare_writes_report_and_chart(tmp_path: Path) -> None:
    report, chart = tmp_path / "report.html", tmp_path / "chart.svg"
    result = run(
        "offers", "compare", str(OFFERS / "bigtech_sf.yaml"), str(OFFERS / "remote_austin.yaml"),
        "--years", "4", "--reference-place", "Austin, TX", "--paths", "1000",
        "--report", str(report), "--chart", str(chart), "--json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert [o["offer"] for o in document["offers"]] == ["BigCo (San Francisco)", "RemoteCo"]
    assert len(document["offers"][0]["years"]) == 4
    assert document["risk"]["pairs"][0]["p_a_beats_b"] > 0.5
    assert report.read_text().count("<svg") == 2
    assert chart.read_text().startswith("<svg")


def test_switch_and_places_text_output() -> None:
    switch = run(
        "switch", str(OFFERS / "current_job.yaml"), str(OFFERS / "new_offer_austin.yaml"),
        "--years", "3", "--paths", "500",
    )  # fmt: skip
    assert switch.returncode == 0, switch.stderr
    assert "unvested equity walked away from" in switch.stdout
    assert "market gap" in switch.stdout and "10-15%" in switch.stdout
    places = run(
        "places", "compare", "San Francisco, CA", "remote:Austin, TX",
        "--pay", "260000", "--pay", "220000", "--json",
    )  # fmt: skip
    assert places.returncode == 0, places.stderr
    document = json.loads(places.stdout)
    assert document["best_after_tax_col"] == "remote:Austin, TX"
    assert document["published_claim_check"]["verdict"] == "agrees"


def test_places_say_what_a_typed_place_was_read_as() -> None:
    """The command line prints the library's note for a place that is not its exact name, and
    refuses a city abroad saying what it was read as."""
    from careerbench.money.geo import locate

    seattle = run("places", "compare", "Seattle", "Austin, TX", "--pay", "200000")
    assert seattle.returncode == 0, seattle.stderr
    assert f"place: {locate('Seattle').note}" in " ".join(seattle.stdout.split())
    london = run("places", "compare", "London", "--pay", "200000")
    assert london.returncode == 2
    said = " ".join(london.stderr.split())
    assert "London → did you mean London, United Kingdom?" in said and "outside the US" in said


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("vest", "--grant", "1000", "--schedule", "25,25,25"), "sum to 75%"),
        (("vest", "--grant", "-1"), "grant"),
        (("tax", "--state", "ZZ", "--wages", "1"), "state: unknown value 'ZZ'"),
        (("tax", "--state", "CA", "--wages", "1", "--year", "2019"), "year"),
        (("offers", "compare", str(OFFERS / "bad" / "malformed.yaml")), "not valid YAML"),
        (("offers", "compare", str(OFFERS / "bad" / "unknown_place.yaml")), "place"),
        (("offers", "compare", "missing.yaml"), "no such file"),
        (("places", "compare", "Austin, TX"), "give --pay"),
        (("places", "compare", "remote", "--pay", "1"), "remote:Austin, TX"),
    ],
)
def test_bad_input_exits_2_without_traceback(args: tuple[str, ...], message: str) -> None:
    result = run(*args)
    assert result.returncode == 2, result.stdout + result.stderr
    assert message in " ".join(result.stderr.split())
    assert "Traceback" not in result.stderr
