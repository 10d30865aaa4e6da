"""One writer, many readers: an ingest while the server answers from the same store, two ingests
at once, an ingest killed at many points, and a command killed while it writes the caches beside
the store. Real processes, real DuckDB files."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from careerbench import pay_index
from careerbench.cohort_index import CohortIndex
from careerbench.ingest import ingest
from careerbench.store import STAGED, Store, writing
from tests.conftest import CLI, FIXTURES, run_cli, serving

#: Pages and API calls that read the store, its cohort index and its loads.
READING = (
    "/api/health",
    "/api/sources",
    "/api/benchmark?role=ml-engineer&level=senior&country=US",
    "/api/benchmark?role=data-scientist&country=US",
    "/data",
    "/",
)
MINE = "year,title,total_comp\n2025,ML Engineer,200000\n2025,ML Engineer,230000\n"


def get(port: int, path: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=60) as response:
            return int(response.status), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def base_store(folder: Path, *, prepare: bool = True) -> Path:
    """A store of the bundled aijobs.net data and the committed Levels.fyi sample (``prepare``:
    with its pay index and cohort index built beside it, as an ingest leaves them)."""
    path = folder / "store.duckdb"
    ingest(path, levelsfyi_path=FIXTURES / "levelsfyi_sample.csv", prepare=prepare)
    return path


def caches(store: Path) -> dict[str, float]:
    """The files beside the store derived from its contents, and when each was written."""
    folder = store.with_name(store.name + ".cache")
    return {file.name: file.stat().st_mtime for file in folder.glob("*")}


def counts(path: Path) -> tuple[tuple[str, int], ...]:
    """What the store holds: each load and its records, and the records table's rows."""
    with Store(path) as db:
        loads = tuple((load.load_key, load.records) for load in db.loads())
        total = db.con.execute("SELECT count(*) FROM records").fetchall()[0][0]
    return (*loads, ("records", int(total)))


def test_an_ingest_succeeds_while_the_server_answers_and_the_server_never_fails(
    tmp_path: Path,
) -> None:
    store = base_store(tmp_path)
    mine = tmp_path / "mine.csv"
    mine.write_text(MINE)
    statuses: list[tuple[str, int]] = []
    during = 0
    with serving(store) as (port, _):
        for path in READING:  # warm: the first answers build the caches
            assert get(port, path)[0] == 200, path
        stop = threading.Event()

        def ask() -> None:
            while not stop.is_set():
                for path in READING:
                    statuses.append((path, get(port, path)[0]))

        askers = [threading.Thread(target=ask) for _ in range(2)]
        for asker in askers:
            asker.start()
        try:
            # --force rewrites every load: the longest write there is for these files.
            done = run_cli("ingest", "--csv", str(mine), "--force", store=store)
            during = len(statuses)
            time.sleep(1.0)  # and while the server reads the new version and rebuilds its index
        finally:
            stop.set()
            for asker in askers:
                asker.join(timeout=120)
        assert done.returncode == 0, done.stderr
        failed = [(path, code) for path, code in statuses if code != 200]
        assert not failed, failed[:10]
        assert during >= 10, "the requests did not overlap the ingest"
        # The server answers from the new contents without a restart.
        code, body = get(port, "/api/sources")
        assert code == 200 and f"csv:{mine.resolve()}".encode() in body
    assert not store.with_name(store.name + STAGED).exists()


def test_a_second_ingest_while_one_writes_is_refused_clearly_and_nothing_changes(
    tmp_path: Path,
) -> None:
    store = base_store(tmp_path)
    mine = tmp_path / "mine.csv"
    mine.write_text(MINE)
    before = counts(store)
    with writing(store):  # an ingest that is writing (this process holds the writer's lock)
        done = run_cli("ingest", "--csv", str(mine), store=store)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        message = " ".join(done.stderr.split())
        assert f"another ingest is writing the store {store}" in message
        assert "wait for it to finish" in message
        assert counts(store) == before  # readers go on meanwhile
    assert counts(store) == before
    assert run_cli("ingest", "--csv", str(mine), store=store).returncode == 0
    assert ("records", before[-1][1] + 2) in counts(store)


def test_two_ingests_started_together_leave_one_whole_store(tmp_path: Path) -> None:
    store = base_store(tmp_path)
    first, second = tmp_path / "first.csv", tmp_path / "second.csv"
    first.write_text(MINE)
    second.write_text(MINE.replace("200000", "210000"))
    env = dict(os.environ, CAREERBENCH_STORE=str(store))
    command = [*CLI, "ingest", "--csv"]
    pipes = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE, "text": True}
    runs = [subprocess.Popen([*command, str(mine)], env=env, **pipes) for mine in (first, second)]
    outcomes = [(run.wait(timeout=300), run.communicate()[1]) for run in runs]
    for code, stderr in outcomes:
        assert code == 0 or (code == 2 and "another ingest is writing" in stderr), stderr
    assert any(code == 0 for code, _ in outcomes)
    loaded = {key for key, _ in counts(store)}
    for (code, _), mine in zip(outcomes, (first, second), strict=True):
        assert (f"csv:{mine.resolve()}" in loaded) == (code == 0)
    assert run_cli("ingest", "--csv", str(first), "--csv", str(second), store=store).returncode == 0


def test_an_ingest_leaves_the_new_contents_indexes_ready_and_readers_prune_the_old(
    tmp_path: Path,
) -> None:
    store = base_store(tmp_path)
    with Store(store) as db:
        first = db.fingerprint()
    ready = caches(store)
    kinds = [name.removesuffix(name.split(first)[-1]) for name in sorted(ready)]
    assert kinds == [f"cohort-index-{first}", f"pay-index-{first}"]
    question = ["benchmark", "--role", "ml-engineer", "--level", "senior", "--country", "US"]
    assert run_cli(*question, store=store).returncode == 0
    assert caches(store) == ready  # the question read them; it built nothing
    mine = tmp_path / "mine.csv"
    mine.write_text(MINE)
    assert run_cli("ingest", "--csv", str(mine), store=store).returncode == 0
    with Store(store) as db:
        second = db.fingerprint()
    both = caches(store)
    assert {name.split("-")[2] for name in both} == {first, second}
    assert run_cli(*question, store=store).returncode == 0
    # The first reader of the new contents keeps their caches and removes the old ones.
    after = caches(store)
    assert after == {name: at for name, at in both.items() if second in name}
    assert len(after) == 2


#: Kill points, in milliseconds from the process's start (before it touches the store).
FROM_START_MS = (300, 1200)
#: ... in fractions of the writer's window (from its copy appearing to the rename), from the
#: copy appearing: copying, loading each source, ordering the records, closing the copy.
IN_WRITE = (0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.65, 0.8, 0.9, 0.97)
#: ... in milliseconds after the rename (the process is finishing).
AFTER_SWAP_MS = (0, 30)


def ingest_until(store: Path, mine: Path, mark: str, delay: float) -> tuple[float, float]:
    """Run ``careerbench ingest`` on ``store``; SIGKILL it ``delay`` seconds after ``mark``
    (``start``, ``copy``: the writer's copy appears, ``swap``: it is renamed over the store,
    ``never``: let it finish). The seconds from start to the copy appearing and to the swap."""
    staged = store.with_name(store.name + STAGED)
    started = time.monotonic()
    copied = swapped = float("nan")
    run = subprocess.Popen(
        [*CLI, "ingest", "--csv", str(mine), "--force"],
        env=dict(os.environ, CAREERBENCH_STORE=str(store)),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    if mark != "start":
        while run.poll() is None and not staged.exists():
            time.sleep(0.001)
        copied = time.monotonic() - started
        while mark != "copy" and run.poll() is None and staged.exists():
            time.sleep(0.001)
        swapped = time.monotonic() - started
    if mark == "never":
        assert run.wait(timeout=300) == 0
        return copied, swapped
    time.sleep(delay)
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=30)
    return copied, swapped


def test_an_ingest_killed_at_any_point_leaves_the_old_or_the_new_store(tmp_path: Path) -> None:
    pristine = base_store(tmp_path / "pristine")
    mine = tmp_path / "mine.csv"
    mine.write_text(MINE)
    old = counts(pristine)
    finished = tmp_path / "finished" / "store.duckdb"
    finished.parent.mkdir()
    shutil.copyfile(pristine, finished)
    copied, swapped = ingest_until(finished, mine, "never", 0.0)
    new = counts(finished)
    assert new != old
    window = swapped - copied
    points = [
        *[("start", ms / 1000) for ms in FROM_START_MS],
        *[("copy", share * window) for share in IN_WRITE],
        *[("swap", ms / 1000) for ms in AFTER_SWAP_MS],
    ]
    seen: dict[str, int] = {"old": 0, "new": 0}
    for number, (mark, delay) in enumerate(points):
        store = tmp_path / f"kill{number}" / "store.duckdb"
        store.parent.mkdir()
        shutil.copyfile(pristine, store)
        ingest_until(store, mine, mark, delay)
        state = counts(store)  # opens, and reads every load
        assert state in (old, new), (mark, delay, state)
        seen["old" if state == old else "new"] += 1
        # The next ingest cleans up after the killed one and succeeds.
        assert run_cli("ingest", "--csv", str(mine), "--force", store=store).returncode == 0
        assert counts(store) == new
        assert not store.with_name(store.name + STAGED).exists()
    assert len(points) == 14
    # Kills before the swap leave the old store, after it the new one.
    assert seen["old"] >= len(FROM_START_MS) and seen["new"] >= len(AFTER_SWAP_MS), seen


#: Kill points while a command writes the caches beside the store (the pay index, then the
#: cohort index), in milliseconds after their folder appears.
IN_CACHE_WRITE_MS = (0, 1, 3, 10, 30, 100, 300)


def test_a_command_killed_while_writing_the_caches_leaves_them_readable(tmp_path: Path) -> None:
    pristine = base_store(tmp_path / "pristine", prepare=False)  # the question builds them
    before = counts(pristine)
    question = ["benchmark", "--role", "ml-engineer", "--level", "senior", "--country", "US"]
    written = 0
    for number, ms in enumerate(IN_CACHE_WRITE_MS):
        store = tmp_path / f"kill{number}" / "store.duckdb"
        store.parent.mkdir()
        shutil.copyfile(pristine, store)
        cache = store.with_name(store.name + ".cache")
        run = subprocess.Popen(
            [*CLI, *question], env=dict(os.environ, CAREERBENCH_STORE=str(store)),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        while run.poll() is None and not cache.exists():
            time.sleep(0.0005)
        time.sleep(ms / 1000)
        run.send_signal(signal.SIGKILL)
        run.wait(timeout=30)
        assert counts(store) == before
        for file in cache.glob("*"):
            if ".tmp" in file.suffixes:
                continue  # a file the killed process was writing: never read
            written += 1
            if file.suffix == ".npz":
                CohortIndex.load(file)
            else:
                assert pay_index.load(file) is not None, file
        done = run_cli(*question, store=store)
        assert done.returncode == 0, done.stderr
    assert written >= 1  # some kills came after a cache was in place
