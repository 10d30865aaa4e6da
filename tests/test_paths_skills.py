"""Skills: the premium-tier checklist, published premiums and premiums measured on the data."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from careerbench.cohort import parse_cohort
from careerbench.errors import InputError, InvalidValue
from careerbench.ingest import ingest
from careerbench.market import market_answer
from careerbench.paths.skills import assess, checklist_ids
from careerbench.premiums import MIN_CELLS, measured_premiums
from tests.conftest import FIXTURES
from tests.conftest import run_cli as run


def test_verdicts_follow_the_checklist() -> None:
    premium, not_yet = checklist_ids()
    assert len(premium) == 5 and len(not_yet) == 5
    top = assess(dict.fromkeys(premium, True), ["rag"])
    assert top.verdict == "premium tier"
    assert (
        assess(dict.fromkeys(premium, True) | dict.fromkeys(not_yet[:2], True), []).verdict
        != "premium tier"
    )
    assert assess({"deployed-model": True}, []).verdict == "not yet at the premium tier"


def test_published_premiums_are_applied_to_the_reference_pay() -> None:
    result = assess({"deployed-model": True}, ["rag"], reference_pay=200_000)
    rag = next(c for c in result.clusters if c.id == "rag")
    assert rag.held and rag.effect_usd == pytest.approx((30_000, 50_000))
    mlops = next(c for c in result.clusters if c.id == "mlops-serving")
    assert mlops.effect_usd == (15_000, 30_000)
    assert all(c.source for c in result.clusters)
    assert result.next_moves and not any("RAG systems" in m for m in result.next_moves)


def test_unknown_items_and_clusters_are_named() -> None:
    with pytest.raises(InputError, match="deployed-model"):
        assess({"kaggle-grandmaster": True}, [])
    with pytest.raises(InvalidValue, match="rag"):
        assess({}, ["ragg"])


def test_measured_premium_on_aijobs_titles(store: Path) -> None:
    levels, aijobs = measured_premiums(store)
    assert aijobs.premium is not None and aijobs.interval is not None
    assert aijobs.interval[0] <= aijobs.premium <= aijobs.interval[1]
    assert aijobs.n_ai > 1000 and aijobs.cells >= MIN_CELLS
    # The 600-row Levels.fyi sample has few matched company-level cells: a premium is given
    # exactly when there are enough of them, and the note says why when there are not.
    assert (levels.premium is None) == (levels.cells < MIN_CELLS)
    if levels.premium is None:
        assert levels.interval is None and "not enough matched cells" in levels.note


@pytest.mark.fulldata
def test_measured_premium_on_levelsfyi_tags(full_store: Path) -> None:
    levels, _ = measured_premiums(full_store)
    assert levels.premium is not None and levels.interval is not None
    assert levels.cells >= 100 and levels.interval[0] <= levels.premium <= levels.interval[1]


def test_cli(store: Path) -> None:
    done = run(
        "skills",
        "assess",
        "--have",
        "deployed-model,premium-cluster",
        "--clusters",
        "rag",
        "--role",
        "ml-engineer",
        "--level",
        "senior",
        "--json",
        store=store,
    )
    assert done.returncode == 0, done.stderr
    doc = json.loads(done.stdout)
    assert doc["verdict"] == "approaching the premium tier"
    assert doc["reference_pay"] > 100_000
    # The reference is the market's answer for the profile (total comp, which it has; the
    # command's country is US unless given).
    profile = parse_cohort(role="ml-engineer", level="senior", country="US")
    answer = market_answer(profile, store=store)
    assert answer.quantiles is not None and answer.answered_by == "exact cohort"
    assert doc["reference_pay"] == answer.quantiles.p50
    assert doc["reference_label"] == f"the market P50 total comp ({answer.evidence_text()})"
    done = run("skills", "assess", store=store)
    assert done.returncode == 2 and "--have" in done.stderr


def test_interactive_assessment_in_a_real_terminal(store: Path) -> None:
    import os
    import sys

    import pexpect

    from careerbench.paths.skills import knowledge

    env = dict(os.environ, CAREERBENCH_STORE=str(store), COLUMNS="200", TERM="dumb")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "careerbench.cli", "skills", "assess", "--no-measure"],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    doc = knowledge()
    for group, answer in (("premium_tier", "y"), ("not_yet", "n")):
        for item in doc[group]["items"]:
            child.expect_exact(item["text"])
            child.sendline(answer)
    child.expect("skill clusters you have")
    child.sendline("rag,llm-fine-tuning")
    child.expect(pexpect.EOF)
    output = child.before or ""
    child.close()
    assert child.exitstatus == 0, output
    assert "premium tier" in output and "next moves" in output


def test_measured_premiums_are_kept_until_the_store_changes(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    ingest(path, levelsfyi_path=FIXTURES / "levelsfyi_sample.csv")
    first = measured_premiums(path)
    again = measured_premiums(path)
    assert again == first and all(a is b for a, b in zip(first, again, strict=True))
    mine = tmp_path / "mine.csv"
    mine.write_text("year,title,total_comp\n2025,ML Engineer,200000\n")
    ingest(path, csv_paths=[mine])
    after = measured_premiums(path)
    assert not any(a is b for a, b in zip(first, after, strict=True))
