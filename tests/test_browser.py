"""Each page's main flow in a real headless Chromium, against a real server on loopback.

Needs Debian's ``chromium`` and the ``playwright`` package (``make test`` installs both). Outside
CI the tests are skipped when Chromium is missing; in CI (``CI=true``) that is a failure.
Each flow saves a full-page screenshot at desktop and phone widths (``<flow>-1366.png``,
``<flow>-390.png``) for a reviewer, in ``test-artifacts/screenshots/`` or the folder
``CAREERBENCH_SCREENSHOTS`` names.
"""

from __future__ import annotations

import os
import shutil
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from careerbench import services
from careerbench.cohort import parse_cohort
from careerbench.formatting import ordinal
from tests.conftest import free_port

if TYPE_CHECKING:
    from careerbench.pay_model import PayModel

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(
    os.environ.get("CAREERBENCH_SCREENSHOTS")
    or Path(__file__).resolve().parents[1] / "test-artifacts" / "screenshots"
)
#: The widths (px) every flow is looked at: a desktop and a phone.
DESKTOP, PHONE = 1366, 390
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI"):
        raise RuntimeError(
            "Chromium is missing: `make test` installs it (apt-get install chromium)"
        )
    pytest.skip("Chromium is not installed (make test installs it)", allow_module_level=True)

playwright = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def server(store: Path) -> Iterator[str]:
    import uvicorn

    from careerbench.api.app import create_app

    port = free_port()
    config = uvicorn.Config(
        create_app(store), host="127.0.0.1", port=port, access_log=False, log_level="warning"
    )
    instance = uvicorn.Server(config)
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with playwright.sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(viewport={"width": DESKTOP, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    yield tab
    context.close()


def shot(tab: object, name: str) -> Path:
    """A full-page screenshot of ``tab`` as ``<name>-<viewport width>.png``."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    width = tab.viewport_size["width"]  # type: ignore[attr-defined]
    path = SHOTS / f"{name}-{width}.png"
    tab.screenshot(path=str(path), full_page=True)  # type: ignore[attr-defined]
    return path


def shot_on_phone(browser: object, url: str, name: str) -> object:
    """The page at ``url`` on a phone, screenshot; returns its context (the caller closes it)."""
    context = browser.new_context(viewport={"width": PHONE, "height": 844})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto(url)
    shot(tab, name)
    return context


def test_where_i_stand_by_keyboard(server: str, browser: object, page: object, store: Path) -> None:
    tab = page
    tab.goto(server + "/")  # type: ignore[attr-defined]
    tab.select_option("#f-role", "data-scientist")  # type: ignore[attr-defined]
    tab.select_option("#f-level", "mid")  # type: ignore[attr-defined]
    tab.fill("#f-tc", "140000")  # type: ignore[attr-defined]
    tab.focus("#f-tc")  # type: ignore[attr-defined]
    tab.keyboard.press("Enter")  # type: ignore[attr-defined]
    tab.wait_for_url("**/?*role=data-scientist*")  # type: ignore[attr-defined]
    standing = services.where_i_stand(
        parse_cohort(role="data-scientist", level="mid", country="US"),
        tc=140_000,
        store=store,
    )
    q = standing.answer.quantiles
    assert q is not None and standing.percentile is not None
    first = tab.locator('[data-testid="pay"] tbody tr').first.locator("td")  # type: ignore[attr-defined]
    assert first.nth(0).inner_text() == "the answer"
    assert first.nth(4).inner_text() == f"${q.p50:,.0f}"
    # The answer's distribution and the parts of pay, each drawn once (wide or narrow).
    assert tab.locator("figure.chart svg:visible").count() == 2  # type: ignore[attr-defined]
    verdict = tab.inner_text('[data-testid="verdict"]')  # type: ignore[attr-defined]
    rank = ordinal(round(standing.percentile))
    assert f"at about the {rank} percentile" in verdict
    assert f"at about the {rank} percentile" in tab.inner_text('[data-testid="lead"]')  # type: ignore[attr-defined]
    assert min_chart_text(tab) >= 11
    assert standing.answer.evidence_text() in verdict
    shot(tab, "where-i-stand")
    shot_on_phone(browser, tab.url, "where-i-stand").close()  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("path", "testid", "name"),
    [
        ("/tracks?tracks=ml-engineer&tracks=research-scientist", "claims", "tracks"),
        ("/simulate?track=ml-engineer&paths=1000&vs=data-scientist", "years", "simulate"),
        ("/skills?have=deployed-model&clusters=rag", "clusters", "skills"),
        ("/places", "places", "places"),
        ("/data", "sources", "data"),
        ("/offers", "offer", "offers"),
        ("/switch", "stay", "switch"),
    ],
)
def test_pages_show_their_tables(
    server: str, browser: object, page: object, path: str, testid: str, name: str
) -> None:
    tab = page
    response = tab.goto(server + path)  # type: ignore[attr-defined]
    assert response.status == 200
    assert tab.locator(f'[data-testid="{testid}"] tbody tr').count() > 0  # type: ignore[attr-defined]
    shot(tab, name)
    shot_on_phone(browser, server + path, name).close()  # type: ignore[attr-defined]


OFFERS = {
    "o1": {"employer": "BigCo", "place": "San Francisco, CA", "base": "260000", "bonus": "15",
           "rsu": "400000", "schedule": "33-33-22-12"},
    "o2": {"employer": "RemoteCo", "place": "remote:Austin, TX", "base": "220000", "bonus": "10",
           "rsu": "200000", "schedule": "even-4y-quarterly"},
}  # fmt: skip


def test_offers_draw_the_stock_vesting_beside_the_cumulative_pay(
    server: str, browser: object, page: object
) -> None:
    from urllib.parse import urlencode

    from careerbench.money.compare import compare_offers
    from careerbench.money.offer import offer_from_dict

    query = urlencode({f"{o}_{k}": v for o, fields in OFFERS.items() for k, v in fields.items()})
    offers = [
        offer_from_dict(
            {
                "employer": f["employer"], "place": f["place"], "base": float(f["base"]),
                "bonus_target_pct": float(f["bonus"]),
                "rsu": [{"value": float(f["rsu"]), "schedule": f["schedule"]}],
            },
            o,
        )
        for o, f in OFFERS.items()
    ]  # fmt: skip
    comparison = compare_offers(offers, years=4, risk=False)
    tab = page
    tab.goto(f"{server}/offers?{query}")  # type: ignore[attr-defined]
    rows = tab.locator('[data-testid="vesting"] tbody tr')  # type: ignore[attr-defined]
    assert rows.count() == 2
    for i, projection in enumerate(comparison.projections):
        cells = rows.nth(i).locator("td")
        assert cells.nth(0).inner_text() == projection.name
        by_year = [cells.nth(y).inner_text() for y in range(1, 5)]
        assert by_year == [f"${row.equity_total:,.0f}" for row in projection.rows]
    # The 33-33-22-12 grant vests most in its first years, the even one the same each year.
    big, remote = comparison.projections
    assert big.rows[0].equity_total > big.rows[3].equity_total
    assert remote.rows[0].equity_total == pytest.approx(remote.rows[3].equity_total)
    section = tab.locator('section:has([data-testid="vesting"])')  # type: ignore[attr-defined]
    figure = section.locator("figure.chart")
    assert figure.locator("svg:visible").count() == 1
    label = figure.get_attribute("aria-label")
    assert f"BigCo: year 1 ${big.rows[0].equity_total:,.0f}" in label
    # The cumulative chart comes just before it, both drawn once at this width.
    assert tab.locator("figure.chart svg:visible").count() == 2  # type: ignore[attr-defined]
    headings = tab.locator("h2").all_inner_texts()  # type: ignore[attr-defined]
    cumulative = headings.index("Cumulative after tax, cost-of-living adjusted")
    assert headings[cumulative + 1] == "Stock vesting each year"
    assert min_chart_text(tab) >= 11
    shot(tab, "offers-vesting")
    phone = shot_on_phone(browser, tab.url, "offers-vesting")  # type: ignore[attr-defined]
    small = phone.pages[0]  # type: ignore[attr-defined]
    assert small.evaluate("document.documentElement.scrollWidth") <= 392
    assert small.locator("figure.chart svg:visible").count() == 2
    assert min_chart_text(small) >= 11
    phone.close()  # type: ignore[attr-defined]


def test_a_place_read_as_another_is_said_beside_the_field(
    server: str, browser: object, page: object
) -> None:
    from careerbench.money.geo import locate

    tab = page
    tab.goto(server + "/offers")  # type: ignore[attr-defined]
    tab.fill("#f-o1_place", "Seattle")  # type: ignore[attr-defined]
    tab.fill("#f-o2_place", "Bay Area")  # type: ignore[attr-defined]
    tab.click("button[type=submit]")  # type: ignore[attr-defined]
    tab.wait_for_url("**/offers?*o1_place=Seattle*")  # type: ignore[attr-defined]
    for name, typed in (("o1_place", "Seattle"), ("o2_place", "Bay Area")):
        note = tab.locator(f'[data-testid="note-{name}"]')  # type: ignore[attr-defined]
        assert note.is_visible() and note.inner_text() == locate(typed).note
        described = tab.get_attribute(f"#f-{name}", "aria-describedby")  # type: ignore[attr-defined]
        assert described == f"n-{name}"
    shot(tab, "offers-place-notes")
    shot_on_phone(browser, tab.url, "offers-place-notes").close()  # type: ignore[attr-defined]
    # A city abroad: refused beside its field, with what it was read as; the form keeps it.
    tab.fill("#f-o2_place", "London")  # type: ignore[attr-defined]
    tab.click("button[type=submit]")  # type: ignore[attr-defined]
    tab.wait_for_url("**/offers?*o2_place=London*")  # type: ignore[attr-defined]
    error = tab.locator("#e-o2_place")  # type: ignore[attr-defined]
    assert error.is_visible()
    assert "London → did you mean London, United Kingdom?" in error.inner_text()
    assert "outside the US" in error.inner_text()
    assert tab.input_value("#f-o2_place") == "London"  # type: ignore[attr-defined]
    assert tab.input_value("#f-o1_place") == "Seattle"  # type: ignore[attr-defined]
    assert "Norwich" not in tab.inner_text("main")  # type: ignore[attr-defined]
    shot(tab, "offers-place-abroad")
    shot_on_phone(browser, tab.url, "offers-place-abroad").close()  # type: ignore[attr-defined]


def test_the_places_page_keeps_its_form_on_wrong_input(
    server: str, browser: object, page: object
) -> None:
    tab = page
    tab.goto(server + "/places")  # type: ignore[attr-defined]
    tab.fill("#f-place2", "Narnia, XX")  # type: ignore[attr-defined]
    tab.click("button[type=submit]")  # type: ignore[attr-defined]
    tab.wait_for_url("**/places?*place2=Narnia*")  # type: ignore[attr-defined]
    error = tab.locator("#e-place2")  # type: ignore[attr-defined]
    assert error.is_visible() and "Narnia" in error.inner_text()
    assert tab.input_value("#f-place2") == "Narnia, XX"  # type: ignore[attr-defined]
    assert tab.input_value("#f-place1") == "San Francisco, CA"  # type: ignore[attr-defined]
    assert tab.input_value("#f-pay1") == "260000"  # type: ignore[attr-defined]
    assert tab.locator('[data-testid="places"]').count() == 0  # type: ignore[attr-defined]
    shot(tab, "places-wrong-input")
    shot_on_phone(browser, tab.url, "places-wrong-input").close()  # type: ignore[attr-defined]


def min_chart_text(tab: object) -> float:
    """The smallest text (px, as displayed) in the page's visible charts."""
    sizes = tab.evaluate(  # type: ignore[attr-defined]
        """() => [...document.querySelectorAll('figure.chart svg')]
            .filter(svg => svg.getBoundingClientRect().width > 0)
            .flatMap(svg => {
                const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
                return [...svg.querySelectorAll('text')].map(
                    t => parseFloat(getComputedStyle(t).fontSize) * scale);
            })"""
    )
    assert sizes, "no chart text shown"
    return float(min(sizes))


def test_phone_width_has_no_horizontal_scroll(server: str, browser: object) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.goto(server + "/?role=ml-engineer&level=senior&country=US&tc=200000")
    width = tab.evaluate("document.documentElement.scrollWidth")
    assert width <= 392
    # The distribution and the parts of pay are drawn for the phone: one drawing each, their
    # text at least 11 px.
    assert tab.locator("figure.chart svg:visible").count() == 2
    assert min_chart_text(tab) >= 11
    shot(tab, "where-i-stand-senior")
    context.close()


def test_pages_fit_a_phone_and_their_tables_scroll_by_keyboard(
    server: str, browser: object
) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    tab = context.new_page()
    for path in ("/offers", "/switch", "/places", "/tracks", "/data", "/no-such-page"):
        tab.goto(server + path)
        assert tab.evaluate("document.documentElement.scrollWidth") <= 392, path
    tab.goto(server + "/?role=ml-engineer&level=senior&country=US")
    region = tab.locator('div.scroll[role="region"]:has(table[data-testid="measures"])')
    region.focus()
    assert tab.evaluate("document.activeElement.getAttribute('role')") == "region"
    tab.keyboard.press("ArrowRight")
    tab.keyboard.press("End")
    assert region.evaluate("e => e.scrollWidth > e.clientWidth")
    assert region.evaluate("e => e.scrollLeft") > 0
    assert tab.locator(".scroll-hint").first.is_visible()
    shot(tab, "tables")
    context.close()


def test_negotiate_an_offer_with_a_rival_and_the_current_job(
    server: str, browser: object, page: object, store: Path, pay_model: PayModel
) -> None:
    from tests.conftest import negotiate_library_plan

    tab = page
    tab.goto(server + "/negotiate")  # type: ignore[attr-defined]
    for field, value in (
        ("x_employer", "BigCo"),
        ("x_place", "San Francisco, CA"),
        ("x_base", "260000"),
        ("x_bonus", "15"),
        ("x_rsu", "400000"),
        ("c_employer", "CurrentCo"),
        ("c_place", "Austin, TX"),
        ("c_base", "185000"),
        ("c_bonus", "10"),
        ("c_rsu", "240000"),
    ):
        tab.fill(f"#f-{field}", value)  # type: ignore[attr-defined]
    tab.select_option("#f-x_schedule", "33-33-22-12")  # type: ignore[attr-defined]
    tab.click("button[type=submit]")  # type: ignore[attr-defined]
    tab.wait_for_url("**/negotiate?*x_base=260000*")  # type: ignore[attr-defined]
    plan = negotiate_library_plan(store)
    verdict = tab.inner_text('[data-testid="verdict"]')  # type: ignore[attr-defined]
    assert f"Target ${plan['target']:,.0f}" in verdict
    assert f"walk away below ${plan['walk_away']:,.0f}" in verdict
    total = plan["components"][0]
    cells = tab.locator('[data-testid="cohort"] tbody tr').first.locator("td")  # type: ignore[attr-defined]
    assert cells.nth(1).inner_text() == f"${total['offer']:,.0f}"
    assert cells.nth(2).inner_text() == f"{total['percentile']:.1f}"
    assert cells.nth(3).inner_text() == f"${total['market_p50']:,.0f}"
    assert tab.locator('[data-testid="competing"] tbody tr').count() == 2  # type: ignore[attr-defined]
    points = tab.locator('[data-testid="points"] tbody tr')  # type: ignore[attr-defined]
    assert points.count() == len(plan["evidence"])
    assert tab.locator("figure.chart svg").count() == 1  # type: ignore[attr-defined]
    shot(tab, "negotiate")
    phone = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    small = phone.new_page()
    small.goto(tab.url)  # type: ignore[attr-defined]
    assert small.evaluate("document.documentElement.scrollWidth") <= 392
    shot(small, "negotiate")
    phone.close()


def test_estimate_a_profile_by_keyboard(
    server: str, browser: object, page: object, store: Path, pay_model: PayModel
) -> None:
    from tests.conftest import QUANTILES, library_estimate

    tab = page
    tab.goto(server + "/estimate")  # type: ignore[attr-defined]
    tab.select_option("#f-role", "ml-engineer")  # type: ignore[attr-defined]
    tab.select_option("#f-level", "senior")  # type: ignore[attr-defined]
    tab.fill("#f-metro", "Seattle")  # type: ignore[attr-defined]
    tab.fill("#f-country", "US")  # type: ignore[attr-defined]
    tab.fill("#f-years", "6")  # type: ignore[attr-defined]
    tab.focus("#f-years")  # type: ignore[attr-defined]
    tab.keyboard.press("Enter")  # type: ignore[attr-defined]
    tab.wait_for_url("**/estimate?*metro=Seattle*")  # type: ignore[attr-defined]
    doc = library_estimate(store)
    for measure in ("total_comp", "base"):
        answer = doc["answers"][measure]
        first = tab.locator(f'[data-testid="estimate-{measure}"] tbody tr').first  # type: ignore[attr-defined]
        cells = first.locator("td")
        assert cells.nth(0).inner_text() == "the answer"
        shown = [cells.nth(j + 2).inner_text() for j in range(len(QUANTILES))]
        assert shown == [f"${answer['quantiles'][p]:,.0f}" for p in QUANTILES]
    verdict = tab.inner_text('[data-testid="verdict"]')  # type: ignore[attr-defined]
    assert verdict == doc["headline"]
    assert f"P50 ${doc['answers']['total_comp']['quantiles']['p50']:,.0f}" in verdict
    model = tab.locator('[data-testid="model"] tbody tr')  # type: ignore[attr-defined]
    assert model.count() == len(doc["model"]["measures"])
    drivers = tab.locator('[data-testid="drivers"] tbody tr')  # type: ignore[attr-defined]
    assert drivers.count() == len(doc["model"]["drivers"])
    assert tab.locator("figure.chart svg").count() == 2  # type: ignore[attr-defined]
    shot(tab, "estimate")
    phone = browser.new_context(viewport={"width": 390, "height": 844})  # type: ignore[attr-defined]
    small = phone.new_page()
    small.goto(tab.url)  # type: ignore[attr-defined]
    assert small.evaluate("document.documentElement.scrollWidth") <= 392
    shot(small, "estimate")
    phone.close()


AXE_PAGES = [
    "/", "/points", "/estimate", "/offers", "/switch", "/negotiate", "/places",
    "/tracks", "/simulate?paths=200", "/skills", "/trends", "/claims", "/data",
    "/?role=ml-engineer&level=senior&country=US&tc=200000", "/no-such-page",
    "/offers?o1_employer=A&o1_place=Seattle&o1_base=200000&o2_employer=B&o2_place=Bay+Area"
    "&o2_base=190000",
]  # fmt: skip


@pytest.mark.parametrize("width", [1366, 390])
def test_no_serious_accessibility_violation_on_any_page(
    server: str, browser: object, width: int
) -> None:
    """axe-core, run in each page with the page's Content-Security-Policy intact: it is
    evaluated through the browser's debugging protocol, as no script of the page could be."""
    from axe_playwright_python.sync_playwright import Axe

    from careerbench.web.site import PAGES

    assert {p.path for p in PAGES} <= {path.split("?")[0] for path in AXE_PAGES}
    axe = Axe()
    context = browser.new_context(viewport={"width": width, "height": 900})  # type: ignore[attr-defined]
    tab = context.new_page()
    found: dict[str, list[str]] = {}
    for path in AXE_PAGES:
        tab.goto(server + path)
        results = axe.run(tab)
        serious = [
            f"{v['id']} ({len(v['nodes'])}): {v['nodes'][0]['target']}"
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        if serious:
            found[path] = serious
    # The check itself works under the policy: an image without a text alternative is found.
    tab.evaluate("document.querySelector('main').append(document.createElement('img'))")
    assert "image-alt" in {v["id"] for v in axe.run(tab).response["violations"]}
    context.close()
    assert found == {}
