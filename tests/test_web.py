"""The pages, rendered on the server: the numbers shown are the library's."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qsl, urlencode

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from careerbench import services
from careerbench.api.app import create_app
from careerbench.benchmark import MEASURE_WORDS, Quantiles
from careerbench.cohort import parse_cohort
from careerbench.formatting import ordinal
from careerbench.market import NONE, MarketAnswer
from tests.conftest import QUANTILES, library_estimate, negotiate_library_plan

if TYPE_CHECKING:
    from careerbench.pay_model import PayModel


@pytest.fixture(scope="module")
def client(store: Path) -> TestClient:
    return TestClient(create_app(store))


def cells(label: str, n: str, q: Quantiles | None) -> str:
    """One evidence row of an answer's table as the page renders it."""
    shown = [f"${getattr(q, p):,.0f}" if q else "-" for p in QUANTILES]
    return "".join(f"<td>{v}</td>" for v in (escape(label), n, *shown))


def assert_answer_shown(html: str, answer: MarketAnswer) -> None:
    """The page's section for a market answer: its heading, the answer and each piece of its
    evidence as rows, and the sentence saying who answered."""
    assert f"Annual {escape(answer.words)} ({escape(answer.basis)})" in html
    assert cells("the answer", f"{answer.n_behind():,}", answer.quantiles) in html
    assert cells("exact cohort", f"{answer.exact.n:,}", answer.exact.quantiles) in html
    relaxed = cells("relaxed cohort", f"{answer.relaxed.n:,}", answer.relaxed.quantiles)
    assert (relaxed in html) == answer.relaxed.was_relaxed
    if answer.model is not None:
        assert cells(f"pay model ({answer.model.source})", "-", answer.model.quantiles) in html
    for neighbor in answer.neighbors:
        label = f"nearby: {neighbor.change}"
        assert cells(label, f"{neighbor.evidence.n:,}", neighbor.evidence.quantiles) in html
    by = "no answer" if answer.answered_by == NONE else f"answered by the {answer.answered_by}"
    assert str(escape(f"{by}: {answer.evidence_text()}")) in html


@pytest.mark.parametrize(
    "path", ["/", "/data", "/tracks", "/simulate?paths=500", "/skills", "/places", "/negotiate"]
)
def test_every_page_renders_without_scripts(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200, response.text[:500]
    assert "<script" not in response.text
    assert '<nav aria-label="pages">' in response.text
    assert 'name="viewport"' in response.text


def test_where_i_stand_shows_the_library_numbers(client: TestClient, store: Path) -> None:
    html = client.get("/?role=data-scientist&level=senior&country=US&tc=150000").text
    standing = services.where_i_stand(
        parse_cohort(role="data-scientist", level="senior", country="US"),
        tc=150_000,
        store=store,
    )
    answer = standing.answer
    assert answer.quantiles is not None and standing.verdict is not None
    verdict = f'<p class="verdict" data-testid="verdict">{escape(standing.headline)} '
    assert verdict + f"{escape(standing.verdict.text)}</p>" in html
    assert standing.percentile is not None
    assert f"at about the {ordinal(round(standing.percentile))} percentile" in standing.headline
    assert_answer_shown(html, answer)
    # Every measure over the cohort the answer's statistics came from, each with its own n.
    assert "Every measure in this cohort" in html
    for name, found in answer.relaxed.measures.items():
        assert cells(MEASURE_WORDS[name], f"{found.n:,}", found.quantiles) in html
    rule = standing.verdict.rule
    assert str(escape(f"{rule.claim} — {rule.citation}")) in html
    assert "<svg" in html


def svg_texts(html: str) -> list[str]:
    """The text drawn in a page's charts (one entry per line)."""
    return [t.strip() for t in re.findall(r">([^<>]+)</(?:text|tspan)>", html) if t.strip()]


def test_where_i_stand_draws_the_answers_distribution_with_your_marker(
    client: TestClient, store: Path
) -> None:
    html = client.get("/?role=ml-engineer&level=senior&country=US&tc=200000").text
    standing = services.where_i_stand(
        parse_cohort(role="ml-engineer", level="senior", country="US"), tc=200_000, store=store
    )
    answer, q = standing.answer, standing.answer.quantiles
    assert q is not None and standing.percentile is not None
    rank = ordinal(round(standing.percentile))
    # The percentile in words above the chart, the same as the verdict's.
    lead = f"Your total comp of $200,000 is at about the {rank} percentile"
    assert html.index(lead) < html.index('data-testid="chart"')
    assert f"at about the {rank} percentile" in standing.headline
    texts = svg_texts(html)
    # Drawn twice (for wide and for narrow screens), each with n, sources, years and basis.
    title = f"Total comp: {answer.answered_by}, n {answer.n_behind():,}"
    assert texts.count(title) == 2
    chosen = answer.exact if answer.answered_by != "relaxed cohort" else answer.relaxed.evidence
    sources = " · ".join(f"Levels.fyi {n:,}" for n in chosen.sources.values())
    assert any(t.startswith(sources) and chosen.span in t for t in texts)
    assert any(answer.basis in t for t in texts)
    assert texts.count(f"you: $200,000, {rank} percentile") == 2
    for name in ("p25", "p50", "p75"):
        assert texts.count(f"{name.upper()} ${getattr(q, name) / 1000:,.0f}k") == 2
    # Described for screen readers with the same figures.
    label = re.search(r'<figure class="chart" role="img" aria-label="([^"]+)"', html)
    assert label is not None
    described = label.group(1)
    assert f"P50 ${q.p50:,.0f}" in described and f"{rank} percentile" in described
    assert f"n {answer.n_behind():,}" in described


def test_a_pay_far_outside_the_distribution_is_marked_at_its_edge(client: TestClient) -> None:
    html = client.get("/?role=ml-engineer&level=senior&country=US&tc=5000000").text
    marked = [t for t in svg_texts(html) if t.startswith("you: $5,000,000")]
    assert len(marked) == 2 and all(t.endswith("(off the chart)") for t in marked)


def test_where_i_stand_without_pay_draws_the_distribution_unmarked(client: TestClient) -> None:
    html = client.get("/?role=ml-engineer&level=senior&country=US").text
    texts = svg_texts(html)
    assert any(t.startswith("P50 $") for t in texts)
    assert not any(t.startswith("you:") for t in texts)
    assert 'data-testid="lead"' not in html


def test_where_i_stand_shows_base_salaries_beside_a_total_comp_it_cannot_place(
    client: TestClient, store: Path
) -> None:
    html = client.get("/?role=ai-engineer&level=senior&country=US&tc=250000").text
    standing = services.where_i_stand(
        parse_cohort(role="ai-engineer", level="senior", country="US"), tc=250_000, store=store
    )
    assert standing.answer.answered_by == "no data" and standing.context is not None
    assert f'data-testid="verdict">{escape(standing.headline)}</p>' in html
    assert_answer_shown(html, standing.answer)
    assert_answer_shown(html, standing.context)
    assert 'data-testid="context"' in html and "Rule of thumb applied" not in html


def test_a_submitted_form_with_blank_fields_links_to_a_working_download(
    client: TestClient,
) -> None:
    html = client.get("/?role=ml-engineer&level=senior&tier=&company=&country=US&tc=").text
    assert 'href="/download/index.json?role=ml-engineer&amp;level=senior&amp;country=US"' in html
    response = client.get("/download/index.json?role=ml-engineer&level=senior&country=US")
    assert response.status_code == 200
    api = client.get("/api/benchmark?role=ml-engineer&level=senior&country=US")
    assert response.json() == api.json()


def test_csv_download_and_shareable_state(client: TestClient, store: Path) -> None:
    query = "role=ml-engineer&level=senior&country=US"
    response = client.get(f"/download/index.csv?{query}")
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.text)))
    assert rows[0] == ["evidence", "n", "P10", "P25", "P50", "P75", "P90"]
    standing = services.where_i_stand(
        parse_cohort(role="ml-engineer", level="senior", country="US"), store=store
    )
    q = standing.answer.quantiles
    assert q is not None
    assert rows[1] == [
        "the answer",
        f"{standing.answer.n_behind():,}",
        *(f"${getattr(q, p):,.0f}" for p in QUANTILES),
    ]
    assert rows[2][0] == "exact cohort"
    assert f'href="/?{query.replace("&", "&amp;")}"' in client.get(f"/?{query}").text


def test_bad_input_is_shown_on_the_page(client: TestClient) -> None:
    response = client.get("/?role=astronaut")
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "astronaut" in response.text


def field_error(html: str, name: str) -> str:
    """The message shown beside a form field ("" when none)."""
    found = re.search(rf'<span class="field-error" id="e-{name}">([^<]*)</span>', html)
    return "" if found is None else found.group(1)


@pytest.mark.parametrize(
    ("path", "field", "kept", "words"),
    [
        (
            "/?role=astronaut&level=senior&country=US&tc=150000",
            "role",
            ('<option value="astronaut" selected>', 'value="150000"'),
            "“astronaut” is not in our list",
        ),
        (
            "/?role=ml-engineer&company=Gogle&tc=150000",
            "company",
            ('value="Gogle"', 'value="150000"', '<option value="ml-engineer" selected>'),
            "did you mean “Google”",
        ),
        ("/?role=ml-engineer&tc=lots", "tc", ('value="lots"',), "is not a number"),
        ("/estimate?role=ml-engineer&level=senior&year=1800", "year", ('value="1800"',), "1800"),
        ("/trends?role=ml-engineer&country=Narnia", "country", ('value="Narnia"',), "Narnia"),
        (
            "/offers?o1_base=200000&o1_place=Narnia,+XX&o2_base=100",
            "o1_place",
            ('value="Narnia, XX"', 'value="200000"'),
            "Narnia",
        ),
    ],
)
def test_a_wrong_input_keeps_the_form_and_says_what_is_wrong_beside_it(
    client: TestClient, path: str, field: str, kept: tuple[str, ...], words: str
) -> None:
    response = client.get(path)
    assert response.status_code == 422
    html = response.text
    assert '<form class="query"' in html
    for value in kept:
        assert value in html
    message = field_error(html, field)
    assert words in str(escape(message)) or words in message
    assert f'aria-describedby="e-{field}"' in html and 'aria-invalid="true"' in html
    assert 'role="alert"' in html
    # Plain words: no option names, commands or validation internals.
    alert = re.search(r'<p class="error" role="alert">([^<]*)</p>', html)
    assert alert is not None and message in alert.group(1)
    for leak in ("--", "careerbench ingest", "validation error", "pydantic", "Traceback"):
        assert leak not in alert.group(1) and leak not in html[html.index("</form>") :]


def test_a_wrong_input_on_a_page_without_a_field_for_it_is_shown_above_the_form(
    client: TestClient,
) -> None:
    response = client.get("/?role=ml-engineer&tc=100000&base=90000")
    assert response.status_code == 422
    assert "not both" in response.text and 'role="alert"' in response.text
    assert 'value="100000"' in response.text and 'value="90000"' in response.text


@pytest.mark.parametrize("path", ["/no-such-page", "/offers/extra", "/a/b/c"])
def test_an_unknown_page_is_an_html_page_not_found(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "<h1>Page not found</h1>" in response.text
    assert '<nav aria-label="pages">' in response.text


def test_a_page_asked_with_the_wrong_method_is_an_html_page(client: TestClient) -> None:
    response = client.post("/estimate")
    assert response.status_code == 405
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["allow"] == "GET, HEAD"
    assert "<h1>Not allowed</h1>" in response.text


def test_the_api_keeps_answering_json_for_unknown_paths_and_methods(client: TestClient) -> None:
    missing = client.get("/api/no-such-thing")
    assert missing.status_code == 404 and missing.json() == {"detail": "Not Found"}
    wrong = client.post("/api/benchmark")
    assert wrong.status_code == 405 and wrong.headers["content-type"] == "application/json"
    assert client.get("/static/app.css").status_code == 200
    assert client.get("/openapi.json").status_code == 200


def options(html: str) -> list[tuple[str, str]]:
    """Every choice the page's selects and checkboxes offer: (value, what is shown)."""
    form = html[html.index("<form") : html.index("<datalist") if "<datalist" in html else None]
    selects = re.findall(r'<option value="([^"]+)"[^>]*>([^<]*)</option>', form)
    boxes = re.findall(r'type="checkbox" name="[^"]+" value="([^"]+)"[^>]*> ([^<]*)</label>', form)
    return selects + [(value, label.strip()) for value, label in boxes]


def test_several_choices_are_checkboxes_that_keep_what_was_ticked(client: TestClient) -> None:
    html = client.get("/tracks?tracks=ml-engineer&tracks=data-scientist").text
    assert "<select" not in html.split('id="f-tracks"')[1].split("</fieldset>")[0]
    assert '<fieldset class="checks wide" id="f-tracks"><legend>Tracks (pick two or more)' in html
    ticked = re.findall(r'name="tracks" value="([^"]+)" checked', html)
    assert sorted(ticked) == ["data-scientist", "ml-engineer"]
    assert '<select id="f-tracks"' not in html and " multiple" not in html


@pytest.mark.parametrize(
    "path", ["/", "/estimate", "/offers", "/switch", "/simulate?paths=200", "/skills", "/tracks"]
)
def test_choices_are_shown_by_name_with_the_slug_only_as_the_value(
    client: TestClient, path: str
) -> None:
    shown = options(client.get(path).text)
    assert shown
    for value, label in shown:
        assert label != value, value
        assert not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", label), label


def test_choice_names_come_from_the_knowledge() -> None:
    from careerbench.cohort import Choice
    from careerbench.money.vesting import preset_descriptions
    from careerbench.paths.tracks import tracks
    from careerbench.web.kit import cohort_input, humanize

    assert humanize("mle-to-research-scientist") == "MLE to research scientist"
    assert humanize("senior") == "Senior"
    role = cohort_input("role", "data-scientist")
    assert Choice("data-scientist", "Data scientist") in role.options
    descriptions = preset_descriptions()
    assert descriptions["33-33-22-12"].startswith("Google front-loaded")
    assert tracks()["academia-tenure-track"].name == "Academia (tenure track)"


def folded(html: str) -> str:
    """The fields folded away under "More options" (the first fold's markup)."""
    start = html.index('<details class="more"')
    return html[start : html.index("</details>", start)]


def test_optional_fields_are_folded_away_and_open_when_filled_in(client: TestClient) -> None:
    html = client.get("/").text
    more = folded(html)
    assert more.startswith('<details class="more">')  # closed
    for name in ("tier", "company", "metro", "years"):
        assert f'id="f-{name}"' in more
    for name in ("role", "level", "country", "tc"):
        assert f'id="f-{name}"' not in more and f'id="f-{name}"' in html
    given = client.get("/?role=ml-engineer&company=Google").text
    more = folded(given)
    assert more.startswith('<details class="more" open>') and 'value="Google"' in more


def test_company_and_place_fields_suggest_names_from_the_knowledge_files(
    client: TestClient,
) -> None:
    from careerbench.taxonomy import companies, places

    html = client.get("/").text
    assert 'id="f-company"' in html and 'list="l-companies"' in html
    suggested = re.search(r'<datalist id="l-companies">(.*?)</datalist>', html)
    assert suggested is not None
    names = re.findall(r'<option value="([^"]*)">', suggested.group(1))
    assert {str(escape(c)) for c in companies.known_companies()} == set(names)
    assert 'list="l-metros"' in html
    assert '<option value="Seattle-Tacoma-Bellevue, WA">' in html
    offers = client.get("/offers").text
    assert 'id="f-o1_place"' in offers and 'list="l-cities"' in offers
    assert "Austin, TX" in places.city_names()
    assert '<option value="Austin, TX">' in offers


def test_offer_fields_are_grouped_per_offer(client: TestClient) -> None:
    html = client.get("/offers").text
    first, second = html.index("<legend>Offer 1</legend>"), html.index("<legend>Offer 2</legend>")
    assert first < html.index('id="f-o1_base"') < second < html.index('id="f-o2_base"')
    assert 'id="f-o1_signon"' in folded(html)


def test_offers_page_equals_the_library(client: TestClient) -> None:
    from careerbench.money.compare import compare_offers
    from careerbench.money.offer import offer_from_dict

    query = (
        "o1_employer=A&o1_place=Seattle,+WA&o1_base=200000&o1_bonus=10&o1_rsu=100000"
        "&o1_schedule=5-15-40-40&o2_employer=B&o2_place=Austin,+TX&o2_base=190000&years=3"
    )
    html = client.get(f"/offers?{query}").text
    offers = [
        offer_from_dict(
            {
                "employer": "A",
                "place": "Seattle, WA",
                "base": 200000.0,
                "bonus_target_pct": 10.0,
                "rsu": [{"value": 100000.0, "schedule": "5-15-40-40"}],
            }
        ),
        offer_from_dict(
            {"employer": "B", "place": "Austin, TX", "base": 190000.0, "bonus_target_pct": 0.0}
        ),
    ]
    doc = compare_offers(offers, years=3, paths=2_000).to_dict()
    for offer in doc["offers"]:
        assert f"${offer['years'][0]['after_tax']:,.0f}" in html
    assert f'data-testid="verdict">{escape(doc["verdict"])}</p>' in html
    assert "<svg" in html


def table_rows(html: str, testid: str) -> list[list[str]]:
    """The cells of a page's table, by row (header first)."""
    start = html.index(f'data-testid="{testid}"')
    table = html[start : html.index("</table>", start)]
    return [
        re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", row)
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ]


def usd_text(value: float) -> str:
    whole = round(value)
    return f"-${-whole:,}" if whole < 0 else f"${whole:,}"


def test_offers_side_by_side_per_measure_with_the_difference(client: TestClient) -> None:
    query = (
        "o1_employer=A&o1_place=Seattle,+WA&o1_base=200000&o1_bonus=10&o1_rsu=100000"
        "&o1_schedule=5-15-40-40&o2_employer=B&o2_place=Austin,+TX&o2_base=190000&years=3"
    )
    html = client.get(f"/offers?{query}").text
    doc = client.get(f"/download/offers.json?{query}").json()
    rows = table_rows(html, "side-by-side")
    assert rows[0] == ["measure", "period", "A", "B", "B − A"]
    by_label = {(r[0], r[1]): r[2:] for r in rows[1:]}
    a, b = doc["offers"]
    for label, key in (("Pre-tax total", "pre_tax"), ("After tax", "after_tax")):
        first = [usd_text(a["years"][0][key]), usd_text(b["years"][0][key])]
        assert by_label[(label, "year 1")][:2] == first
        totals = [usd_text(a["cumulative"][key]), usd_text(b["cumulative"][key])]
        assert by_label[(label, "3 years")][:2] == totals
    gap = doc["differences"][0]["cumulative"]
    shown = by_label[("After tax, cost-of-living adjusted", "3 years")][2]
    assert shown == ("+" if gap >= 0 else "") + usd_text(gap)
    assert html.index('data-testid="side-by-side"') < html.index('data-testid="chart"')


def test_offers_name_a_winner_only_when_the_evidence_supports_one(client: TestClient) -> None:
    close = client.get(
        "/offers?o1_employer=A&o1_place=Austin,+TX&o1_base=200000&o1_bonus=0"
        "&o2_employer=B&o2_place=Austin,+TX&o2_base=201000&o2_bonus=0"
    )
    doc = client.get(
        "/download/offers.json?o1_employer=A&o1_place=Austin,+TX&o1_base=200000&o1_bonus=0"
        "&o2_employer=B&o2_place=Austin,+TX&o2_base=201000&o2_bonus=0"
    ).json()
    assert doc["winner"] is None
    assert "Too close to call" in close.text and "is worth more" not in close.text
    clear = client.get(
        "/offers?o1_employer=A&o1_place=Austin,+TX&o1_base=300000&o1_bonus=0"
        "&o2_employer=B&o2_place=Austin,+TX&o2_base=150000&o2_bonus=0"
    ).text
    assert "A is worth more" in clear


def test_tables_scroll_in_focusable_labelled_regions_with_a_hint_when_wide(
    client: TestClient,
) -> None:
    html = client.get("/?role=ml-engineer&level=senior&country=US").text
    regions = re.findall(r'<div class="scroll"([^>]*)><table data-testid="([^"]+)"', html)
    assert {testid for _, testid in regions} >= {"pay", "measures"}
    for attributes, _ in regions:
        assert 'tabindex="0"' in attributes and 'role="region"' in attributes
        assert "scrolls sideways" in attributes  # seven columns
    assert 'aria-label="Every measure in this cohort: table, scrolls sideways"' in html
    assert html.count('<p class="scroll-hint" aria-hidden="true">scroll →</p>') == len(regions)
    narrow = client.get("/data").text
    quarantine = re.search(r'<div class="scroll"([^>]*)><table data-testid="quarantine"', narrow)
    assert quarantine is not None and "scrolls sideways" not in quarantine.group(1)


def test_switch_page_shows_the_answer(client: TestClient) -> None:
    html = client.get("/switch").text
    assert "Switch minus stay" in html and "unvested equity walked away from" in html
    assert "Internal promotions" in html


NEGOTIATE_QUERY = (
    "o_employer=NewCo&o_place=Austin,+TX&o_base=215000&o_bonus=15&o_rsu=320000"
    "&o_schedule=even-4y-quarterly&o_signon=40000&role=ml-engineer&level=senior&years=4"
    "&x_employer=BigCo&x_place=San+Francisco,+CA&x_base=260000&x_bonus=15&x_rsu=400000"
    "&x_schedule=33-33-22-12&c_employer=CurrentCo&c_place=Austin,+TX&c_base=185000&c_bonus=10"
    "&c_rsu=240000&c_schedule=even-4y-quarterly&c_months=18"
)


def test_negotiate_page_equals_the_library(client: TestClient, store: Path) -> None:
    response = client.get(f"/negotiate?{NEGOTIATE_QUERY}")
    assert response.status_code == 200, response.text[:2000]
    html = response.text
    plan = negotiate_library_plan(store)
    for c in plan["components"]:
        assert f"<td>${c['offer']:,.0f}</td>" in html
        if c["percentile"] is not None:
            assert f"<td>{c['percentile']:.1f}</td>" in html
            assert f"<td>${c['market_p50']:,.0f}</td>" in html
    assert f"Target ${plan['target']:,.0f} ({escape(plan['target_basis'])})" in html
    measure = plan["measure"].replace("_", " ")
    assert str(escape(f"Market {measure}: {plan['evidence_text']}.")) in html
    assert f"The offer in its market ({escape(plan['basis'])})" in html
    assert f"walk away below ${plan['walk_away']:,.0f}" in html
    assert f"${plan['unvested_cover']:,.0f}" in html
    for offer in plan["competing"]:
        assert f"<td>${offer['after_tax_col_total']['after_tax_col']:,.0f}</td>" in html
    for point in plan["evidence"]:
        assert str(escape(point["point"])) in html
    for advice in plan["advice"]:
        assert str(escape(advice["claim"])) in html
    assert "<svg" in html and "this offer" in html and "walk-away" in html


def test_negotiate_downloads_and_shareable_state(client: TestClient, store: Path) -> None:
    document = client.get(f"/download/negotiate.json?{NEGOTIATE_QUERY}")
    assert document.status_code == 200
    assert document.json() == negotiate_library_plan(store)
    table = client.get(f"/download/negotiate.csv?{NEGOTIATE_QUERY}")
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0][:3] == ["component", "offer", "percentile"]
    assert [r[0] for r in rows[1:]] == ["total comp", "base", "equity", "bonus"]
    html = client.get(f"/negotiate?{NEGOTIATE_QUERY}").text
    shared = urlencode(parse_qsl(NEGOTIATE_QUERY)).replace("&", "&amp;")
    assert f'href="/negotiate?{shared}">link to this view' in html
    assert client.get("/download/negotiate.json?o_base=abc").status_code == 422


def test_negotiate_page_without_role_shows_the_error(client: TestClient) -> None:
    response = client.get("/negotiate?o_base=150000&o_place=Austin,+TX&role=astronaut")
    assert response.status_code == 422
    assert 'role="alert"' in response.text and "astronaut" in response.text


ESTIMATE_QUERY = "role=ml-engineer&level=senior&metro=Seattle&country=US&years=6"
ESTIMATE_PROFILE = {"role": "ml-engineer", "level": "senior", "metro": "Seattle", "country": "US",
                    "years": "6"}  # fmt: skip


def test_estimate_page_equals_the_library(
    client: TestClient, store: Path, pay_model: PayModel
) -> None:
    response = client.get(f"/estimate?{ESTIMATE_QUERY}")
    assert response.status_code == 200, response.text[:2000]
    html = response.text
    result = services.estimate_profile(parse_cohort(**ESTIMATE_PROFILE), store=store)
    assert f'data-testid="verdict">{escape(result.headline)}</p>' in html
    assert set(result.answers) == {"total_comp", "base"}
    for measure, answer in result.answers.items():
        assert f'data-testid="estimate-{measure}"' in html
        assert_answer_shown(html, answer)
    total = result.answers["total_comp"]
    assert total.relaxed.was_relaxed, "the profile was chosen for a relaxed nearest cohort"
    for step in total.relaxed.relaxed:
        note = f"relaxed {step.detail}: n {step.n_before:,} -> {step.n_after:,}"
        assert str(escape(note)) in html
    model = result.model
    assert model is not None and model.year == total.year
    assert f"The pay model&#39;s own estimate (nominal USD of {model.year})" in html
    for measure, found in model.measures.items():
        shown = "".join(f"<td>${getattr(found.quantiles, p):,.0f}</td>" for p in QUANTILES)
        source = f'<td class="text">{found.source}</td>'
        assert f"<td>{MEASURE_WORDS[measure]}</td>{source}{shown}" in html
    for driver in model.drivers:
        dollars = driver.dollars
        signed = f"-${-dollars:,.0f}" if dollars < 0 else f"+${dollars:,.0f}"
        assert f">{escape(driver.value)}</td><td>{signed}</td>" in html
    for field, value in model.assumed.items():
        assert f"<td>{field}</td>" in html and f">{escape(str(value))}</td>" in html
    for note in model.notes:
        assert str(escape(note)) in html
    assert "<svg" in html and "<script" not in html
    for name in ("role", "level", "company", "tier", "metro", "state", "country", "years",
                 "remote", "year"):  # fmt: skip
        assert f'<label for="f-{name}">' in html and f'id="f-{name}"' in html
    assert '<a href="/estimate" aria-current="page">Estimate</a>' in html


def test_estimate_downloads_and_shareable_state(
    client: TestClient, store: Path, pay_model: PayModel
) -> None:
    doc = library_estimate(store)
    document = client.get(f"/download/estimate.json?{ESTIMATE_QUERY}")
    assert document.status_code == 200 and document.json() == doc
    assert document.json() == client.get(f"/api/estimate?{ESTIMATE_QUERY}").json()
    table = client.get(f"/download/estimate.csv?{ESTIMATE_QUERY}")
    rows = list(csv.reader(io.StringIO(table.text)))
    assert rows[0] == ["evidence", "n", "P10", "P25", "P50", "P75", "P90"]
    total = doc["answers"]["total_comp"]
    n = total["relaxed"]["n"] if total["answered_by"] == "relaxed cohort" else total["exact"]["n"]
    assert rows[1] == ["the answer", f"{n:,}",
                       *(f"${total['quantiles'][p]:,.0f}" for p in QUANTILES)]  # fmt: skip
    assert rows[2][0] == "exact cohort"
    html = client.get(f"/estimate?{ESTIMATE_QUERY}").text
    shared = ESTIMATE_QUERY.replace("&", "&amp;")
    assert f'href="/estimate?{shared}">link to this view' in html
    assert client.get("/download/estimate.json?years=abc").status_code == 422


@pytest.mark.parametrize(
    ("query", "needle"),
    [
        ("role=ml-enginer", "did you mean “ML engineer”"),
        ("years=61", "&#39;61&#39;: years of experience go from 0 to 60"),
        ("role=ml-engineer&level=senior&year=1999", "1999 is not a year"),
        ("role=ml-engineer", "estimate needs both a role and a level"),
        ("years=many", "&#39;many&#39; is not a range"),
    ],
)
def test_estimate_page_shows_bad_input(
    client: TestClient, pay_model: PayModel, query: str, needle: str
) -> None:
    response = client.get(f"/estimate?{query}")
    assert response.status_code == 422
    assert 'role="alert"' in response.text and needle in response.text


def test_where_i_stand_puts_the_model_beside_a_relaxed_cohort(
    client: TestClient, store: Path, pay_model: PayModel
) -> None:
    html = client.get(f"/?{ESTIMATE_QUERY}").text
    profile = parse_cohort(**ESTIMATE_PROFILE)
    answer = services.where_i_stand(profile, store=store).answer
    assert answer.exact.n < answer.k and answer.relaxed.was_relaxed
    assert answer.answered_by == "pay model" and answer.model is not None
    assert answer.quantiles == answer.model.quantiles
    assert_answer_shown(html, answer)
    # One answer per profile: the estimate page answers the same profile with the same figures.
    estimated = services.estimate_profile(profile, store=store).answers["total_comp"]
    assert estimated.answered_by == answer.answered_by
    assert estimated.quantiles == answer.quantiles and estimated.year == answer.year
    exact = client.get("/?role=ml-engineer&level=senior&country=US").text
    assert "answered by the exact cohort" in exact and "<td>pay model (" not in exact


def test_no_request_waits_for_an_untrained_model(tmp_path: Path) -> None:
    """On a store without a trained model, pages answer from the data points with a notice, the
    estimate API says 503 with Retry-After, and one training starts in the background; once
    it is done, the same requests use the model and ``careerbench train`` has nothing to do."""
    from careerbench import estimate
    from careerbench.ingest import ingest
    from tests.conftest import FIXTURES, run_cli

    fresh = tmp_path / "store.duckdb"
    ingest(
        fresh,
        aijobs_path=FIXTURES / "aijobs_sample.csv",
        levelsfyi_path=FIXTURES / "levelsfyi_sample.csv",
    )
    client = TestClient(create_app(fresh))
    query = "role=ml-engineer&level=senior&metro=Seattle"
    # The background training waits while the test holds the model lock: it cannot finish
    # before these requests are answered.
    with estimate.MODEL_LOCK:
        standing = client.get(f"/?{query}")
        assert standing.status_code == 200, standing.text[:2000]
        assert 'data-testid="notice"' in standing.text and "being trained" in standing.text
        page = client.get(f"/estimate?{query}")
        assert page.status_code == 200, page.text[:2000]
        assert 'data-testid="notice"' in page.text and 'data-testid="model"' not in page.text
        assert "answered by the" in page.text  # the data points answer meanwhile
        api = client.get(f"/api/estimate?{query}")
        assert api.status_code == 503 and api.headers["Retry-After"].isdigit()
        detail = api.json()["detail"][0]
        assert detail["loc"] == ["model"] and "being trained" in detail["msg"]
        batch = client.post("/api/estimate/batch", json={"format": "csv", "rows": [{"year": 2024}]})
        assert batch.status_code == 503 and "Retry-After" in batch.headers
        # Wrong input is still the user's error, whether or not the model is ready.
        assert client.get("/api/estimate?role=ml-engineer&level=senoir").status_code == 422
        running = estimate.training(fresh)
        assert running is not None and estimate.start_training(fresh) is running
    running.join()
    assert estimate.trained_model(fresh) is not None
    again = client.get(f"/estimate?{query}")
    assert again.status_code == 200 and 'data-testid="notice"' not in again.text
    assert 'data-testid="model"' in again.text
    answered = client.get(f"/api/estimate?{query}")
    assert answered.status_code == 200 and answered.json()["model"] is not None
    done = run_cli("train", "--json", store=fresh)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["trained"] is False


def test_a_store_that_cannot_index_pay_still_answers(tmp_path: Path) -> None:
    from careerbench.ingest import ingest
    from tests.conftest import FIXTURES

    fresh = tmp_path / "store.duckdb"
    ingest(fresh, aijobs_path=FIXTURES / "aijobs_sample.csv")
    client = TestClient(create_app(fresh))
    query = "role=ml-engineer&level=senior&metro=Seattle"
    assert client.get(f"/api/benchmark?{query}&basis=cpi").status_code == 200
    api = client.get(f"/api/benchmark?{query}")
    assert api.status_code == 200, api.text
    assert client.get(f"/?{query}").status_code == 200


def test_a_failure_of_the_server_is_an_html_page_without_internals(store: Path) -> None:
    app = create_app(store)

    def fail() -> None:
        raise RuntimeError("secret internal detail at /srv/careerbench/store.py line 12")

    for path in ("/failing-page", "/api/failing"):
        app.router.add_api_route(path, fail)
        app.router.routes.insert(0, app.router.routes.pop())  # before the not-found page
    client = TestClient(app, raise_server_exceptions=False)
    page = client.get("/failing-page")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "Something went wrong" in page.text and '<nav aria-label="pages">' in page.text
    assert "secret" not in page.text and "Traceback" not in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    api = client.get("/api/failing")
    assert api.status_code == 500 and api.headers["content-type"] == "application/json"
    assert "secret" not in api.text and api.json()["detail"][0]["msg"] == "internal error"


NUMBER_INPUT = re.compile(r'<input id="f-([\w]+)" name="\1" type="number"([^>]*)>')


@pytest.mark.parametrize(
    ("path", "name", "low", "high"),
    [
        ("/", "tc", "0", "20000000"),
        ("/estimate", "year", "2000", "2100"),
        ("/offers", "o1_base", "0", "20000000"),
        ("/offers", "o1_bonus", "0", "100"),
        ("/offers", "years", "1", "5"),
        ("/switch", "c_months", "0", "120"),
        ("/simulate?paths=200", "years", "1", "40"),
        ("/places", "pay1", "0", "20000000"),
    ],
)
def test_number_inputs_carry_the_bounds_the_library_enforces(
    client: TestClient, path: str, name: str, low: str, high: str
) -> None:
    html = client.get(path).text
    inputs = dict(NUMBER_INPUT.findall(html))
    assert inputs, "no number input"
    for attributes in inputs.values():  # every number input has a floor and a step
        assert ' min="' in attributes and ' step="' in attributes
    assert f' min="{low}"' in inputs[name] and f' max="{high}"' in inputs[name]


def test_the_api_and_the_library_reject_what_the_inputs_do_not_take(client: TestClient) -> None:
    from careerbench.errors import CareerbenchError
    from careerbench.money.offer import offer_from_dict

    assert client.get("/api/benchmark?tc=20000000").status_code == 200
    assert client.get("/api/benchmark?tc=20000001").status_code == 422
    offer = {"employer": "A", "place": "Austin, TX", "base": 200000, "bonus_target_pct": 101}
    with pytest.raises(CareerbenchError, match="bonus"):
        offer_from_dict(offer)
    page = client.get("/offers?o1_base=200000&o1_bonus=101&o1_place=Austin,+TX")
    assert page.status_code == 422 and 'id="e-o1_bonus"' in page.text


def test_an_implausible_pay_is_refused_naming_the_field_and_the_fix(client: TestClient) -> None:
    """$99,999,999 is a typo, not the top of the market: the API answers 422 naming the field
    and the page says why beside the field, keeping what was typed."""
    response = client.get("/api/benchmark?role=ml-engineer&level=senior&tc=99999999")
    assert response.status_code == 422
    detail = response.json()["detail"][0]
    assert detail["loc"][-1] == "tc" and "20000000" in detail["msg"]
    page = client.get("/?role=ml-engineer&level=senior&country=US&tc=99999999")
    assert page.status_code == 422
    assert 'value="99999999"' in page.text and "percentile" not in page.text.split("<main")[1]
    message = field_error(page.text, "tc")
    assert "99,999,999 is more than 20,000,000" in message
    assert "no pay is one person's" in str(escape(message)) or "no pay is one person" in message
    assert "check the figure" in message


def test_a_bonus_over_the_base_is_refused_naming_the_field(client: TestClient) -> None:
    body = {
        "offers": [
            {"employer": "A", "place": "Austin, TX", "base": 200000, "bonus_target_pct": 150}
        ]
    }
    response = client.post("/api/offers/compare", json=body)
    assert response.status_code == 422
    assert "bonus_target_pct" in response.text and "at most all of it" in response.text
    page = client.get("/offers?o1_employer=A&o1_base=200000&o1_bonus=150&o1_place=Austin,+TX")
    assert page.status_code == 422
    assert 'value="150"' in page.text and 'value="200000"' in page.text
    message = field_error(page.text, "o1_bonus")
    assert "100" in message and "at most all of it" in message


def test_a_place_read_as_another_is_said_beside_its_field_and_in_the_api(
    client: TestClient,
) -> None:
    from careerbench.money.geo import locate

    page = client.get("/offers?o1_employer=A&o1_place=Seattle&o1_base=200000")
    assert page.status_code == 200
    note = re.search(r'<span class="field-note" id="n-o1_place"[^>]*>([^<]*)</span>', page.text)
    assert note is not None and str(escape(locate("Seattle").note)) == note.group(1)
    assert 'aria-describedby="n-o1_place"' in page.text
    body = {"offers": [{"employer": "A", "place": "Seattle", "base": 200000}]}
    document = client.post("/api/offers/compare", json=body).json()
    assert document["place_notes"] == [locate("Seattle").note]
    assert document["offers"][0]["place"]["matched"]["how"] == "alias"
    api = client.get("/api/places/compare?places=London&pay=200000")
    assert api.status_code == 422 and "London, United Kingdom" in api.text
    london = client.get("/offers?o1_employer=A&o1_place=London&o1_base=200000")
    assert london.status_code == 422 and 'value="London"' in london.text
    assert "did you mean London, United Kingdom?" in field_error(london.text, "o1_place")
    assert "Norwich" not in london.text.split("<datalist")[0]


def test_a_company_or_metro_read_as_another_is_said_beside_its_field_and_in_the_api(
    client: TestClient,
) -> None:
    query = "role=ml-engineer&level=senior&company=FB&metro=Seattle"
    page = client.get(f"/?{query}")
    assert page.status_code == 200
    for name, said in (("company", "FB → Meta"), ("metro", "Seattle → Seattle-Tacoma")):
        note = re.search(rf'<span class="field-note" id="n-{name}"[^>]*>([^<]*)</span>', page.text)
        assert note is not None and note.group(1).startswith(said)
    assert 'value="FB"' in page.text  # the form keeps what was typed
    document = client.get(f"/api/benchmark?{query}").json()
    assert document["read_as"] == {
        "company": "FB → Meta",
        "metro": "Seattle → Seattle-Tacoma-Bellevue, WA",
    }
    exact = client.get("/api/benchmark?role=ml-engineer&company=Meta").json()
    assert exact["read_as"] == {}


@pytest.mark.parametrize(
    ("query", "field", "words"),
    [
        ("place1=Austin,+TX&pay1=200000&place2=Narnia,+XX&pay2=100000", "place2", "Narnia"),
        ("place1=London&pay1=200000", "place1", "outside the US"),
        ("place1=Austin,+TX&pay1=99999999", "pay1", "more than 20,000,000"),
        ("place1=Austin,+TX&place2=Seattle,+WA", "", "pay"),
    ],
)
def test_the_places_page_keeps_its_form_on_wrong_input(
    client: TestClient, query: str, field: str, words: str
) -> None:
    response = client.get(f"/places?{query}")
    assert response.status_code == 422
    html = response.text
    assert '<form class="query"' in html
    for name, value in parse_qsl(query):
        assert f'name="{name}"' in html and f'value="{escape(value)}"' in html
    if field:
        assert words in field_error(html, field)
    alert = re.search(r'<p class="error" role="alert">([^<]*)</p>', html)
    assert alert is not None and words in alert.group(1)


def test_where_i_stand_draws_base_equity_and_bonus_each_with_its_own_n(
    client: TestClient, store: Path
) -> None:
    html = client.get("/?role=ml-engineer&level=senior&country=US&tc=200000").text
    standing = services.where_i_stand(
        parse_cohort(role="ml-engineer", level="senior", country="US"), tc=200_000, store=store
    )
    parts = {
        name: found
        for name, found in standing.answer.relaxed.measures.items()
        if name in ("base", "equity", "bonus") and found.quantiles is not None
    }
    assert "base" in parts and len(parts) >= 2
    section = html[html.index("Every measure in this cohort") :]
    label = re.search(r'<figure class="chart" role="img" aria-label="([^"]*)"', section)
    assert label is not None and label.group(1).startswith("The parts of pay in this cohort")
    drawn = svg_texts(section)
    for name, found in parts.items():
        assert MEASURE_WORDS[name].capitalize() in drawn and f"n {found.n:,}" in drawn
        assert f"{MEASURE_WORDS[name].capitalize()}, n {found.n:,}: P25" in label.group(1)
