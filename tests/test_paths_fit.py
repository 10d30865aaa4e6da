"""The track-fit questionnaire: scoring, non-interactive forms and a real terminal session."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pexpect
import pytest

from careerbench.errors import InputError, InvalidValue
from careerbench.paths.fit import questions, rank_tracks
from tests.conftest import run_cli as run

SHIPPER = {
    "work_content": "shipping",
    "credentials": "bachelors",
    "recognition": "internal",
    "optionality": "industry",
    "publications": "0",
    "shipped": "yes",
}
RESEARCHER = {
    "work_content": "research",
    "credentials": "phd",
    "recognition": "external",
    "optionality": "academia",
    "publications": "3+",
    "shipped": "no",
}


def test_rankings_follow_the_four_factors_and_the_gates() -> None:
    shipper = [f.track for f in rank_tracks(SHIPPER)]
    assert set(shipper[:2]) == {"ml-engineer", "ai-engineer"}
    assert shipper.index("research-scientist") > shipper.index("data-scientist")
    researcher = rank_tracks(RESEARCHER)
    assert {f.track for f in researcher[:2]} == {"research-scientist", "academia-tenure-track"}
    no_phd = rank_tracks(RESEARCHER | {"credentials": "masters"})
    scientist = next(f for f in no_phd if f.track == "research-scientist")
    assert any(r.startswith("-3 credentials") for r in scientist.reasons)
    assert no_phd[0].track in ("research-engineer", "applied-scientist")


def test_missing_and_invalid_answers_name_the_question() -> None:
    with pytest.raises(InputError, match="shipped"):
        rank_tracks({k: v for k, v in SHIPPER.items() if k != "shipped"})
    with pytest.raises(InvalidValue, match="work_content"):
        rank_tracks(SHIPPER | {"work_content": "vibes"})


def test_cli_flags_and_answers_file(tmp_path: Path, store: Path) -> None:
    done = run(
        "tracks",
        "fit",
        "--work",
        "shipping",
        "--degree",
        "bachelors",
        "--recognition",
        "internal",
        "--optionality",
        "industry",
        "--publications",
        "0",
        "--shipped",
        "yes",
        "--json",
        store=store,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ranking"][0]["track"] in ("ml-engineer", "ai-engineer")
    answers = tmp_path / "answers.json"
    answers.write_text(json.dumps(RESEARCHER))
    done = run("tracks", "fit", "--answers", str(answers), "--json", store=store)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["ranking"][0]["track"] in (
        "research-scientist",
        "academia-tenure-track",
    )
    done = run("tracks", "fit", "--work", "shipping", store=store)  # stdin is not a terminal
    assert done.returncode == 2 and "missing answer" in done.stderr


def test_interactive_questionnaire_in_a_real_terminal(store: Path) -> None:
    env = dict(os.environ, CAREERBENCH_STORE=str(store), COLUMNS="200", TERM="dumb")
    child = pexpect.spawn(
        sys.executable,
        ["-m", "careerbench.cli", "tracks", "fit"],
        env=env,
        encoding="utf-8",
        timeout=60,
    )
    for question in questions():
        child.expect_exact(question.prompt)
        child.expect("answer")
        child.sendline(RESEARCHER[question.id])
    child.expect("tracks ranked for you")
    child.expect(pexpect.EOF)
    output = child.before or ""
    child.close()
    assert child.exitstatus == 0
    assert "Research scientist" in output or "Academia" in output
