"""The page of your own data points: paste a table (or choose a file), see what was understood,
the statistics of the set and careerbench's data for the same cohort beside them.

The form is posted (``PageSpec.post``): pasted pay stays out of URLs, browser history and server
logs, and a file field needs a POST body. Every figure comes from ``points.answer_points``, the
function the command line and the API call. Nothing is stored: adding points to a store is the
command line's ``careerbench points --add``, on the user's own store.
"""

from __future__ import annotations

from careerbench.errors import CareerbenchError
from careerbench.formatting import count
from careerbench.limits import PAY
from careerbench.points import PointsAnswer, answer_points
from careerbench.points_table import FIELDS, LABELS, MAX_BYTES, decode
from careerbench.points_table import column_names as accepted_names
from careerbench.web.kit import Field, Page, PageSpec, Query, Section, StoreRef, number_input
from careerbench.web.market_pages import answer_section

EXAMPLE = (
    "Company\tTitle\tLevel\tLocation\tTC\tBase\tYear\n"
    "Acme\tSenior ML Engineer\tSenior\tSeattle, WA\t$250K\t$180,000\t2025\n"
    "(one data point per row; cells separated by tabs, commas or two or more spaces)"
)
FILE_KINDS = ".csv,.tsv,.txt,text/csv,text/tab-separated-values,text/plain"


def _fields(q: Query, text: str | None) -> list[Field]:
    return [
        Field(
            "points",
            "Your data points: a table with a header row, pasted from a web page, a spreadsheet "
            "or a CSV file",
            text,
            type="textarea",
            placeholder=EXAMPLE,
        ),
        Field("file", "Or a CSV or TSV file (instead)", type="file", accept=FILE_KINDS),
        number_input("tc", "Your total comp (USD, optional)", q.get("tc"), PAY),
        number_input("base", "Or your base salary (USD)", q.get("base"), PAY),
    ]


def build_points(q: Query, store: StoreRef) -> Page:
    page = Page(
        "Your data points",
        "Pull 20 to 30 data points for your role, level, company tier and city, paste them "
        "here and compare: careerbench reads each row with the knowledge its own sources use, "
        "gives P25, P50 and P75 of the set with their uncertainty, and sets careerbench's data "
        "for the same cohort beside them, in the same measure and dollars. What you paste is "
        "neither stored nor logged.",
    )
    text = None
    try:
        text = q.long_text("points", MAX_BYTES)
        upload = q.file("file")
        if upload is not None:
            text = decode(upload)
        page.fields = _fields(q, text)
        if not q.posted:
            page.sections.append(_columns_section())
            return page
        answer = answer_points(
            text or "", tc=q.number("tc"), base=q.number("base"), model="background", store=store
        )
    except CareerbenchError as exc:
        page.fields = page.fields or _fields(q, text)
        page.error = str(exc)
        return page
    _show(page, answer)
    return page


def _show(page: Page, answer: PointsAnswer) -> None:
    page.verdict = answer.headline
    reading = answer.reading
    page.sections.append(
        Section(
            f"Your points and careerbench's data ({answer.basis})",
            list(answer.STATISTICS),
            answer.statistics_rows(),
            notes=[
                *(m.sentence for m in answer.measures.values()),
                f"careerbench's cohort: {'; '.join(answer.choice.why)}",
                answer.basis_note,
            ],
            testid="statistics",
        )
    )
    skipped = "; ".join(f"line {s.line}: {s.text[:80]}" for s in reading.skipped)
    page.sections.append(
        Section(
            "What was understood, row by row (pay as given: annual USD of its year)",
            list(answer.UNDERSTOOD),
            answer.understood_rows(),
            notes=[
                f"{count(reading.rows)} rows: {count(len(reading.points))} understood, "
                f"{count(len(reading.rejected))} rejected.",
                "columns: "
                + "; ".join(f"{c.header or '(no name)'}: {c.note}" for c in reading.columns),
                *reading.remarks,
                *([f"lines that are not rows, skipped: {skipped}"] if skipped else []),
            ],
            testid="understood",
        )
    )
    if reading.rejected:
        page.sections.append(
            Section(
                "Rejected rows, with the reason",
                ["line", "reason", "row"],
                [[str(r.line), r.reason, r.text] for r in reading.rejected],
                testid="rejected",
            )
        )
    you = answer.you
    for name, measure in answer.measures.items():
        if measure.market is not None:
            pay = you.pay if you is not None and you.measure == name else None
            page.sections.append(answer_section(measure.market, pay, testid=f"market-{name}"))
    method = answer.method
    page.sections.append(Section("The method", notes=[f"{method.claim} — {method.citation}"]))


def _columns_section() -> Section:
    names = accepted_names()
    return Section(
        "Columns careerbench reads (header names are matched loosely)",
        ["field", "header names"],
        [[LABELS.get(name, name), ", ".join(names[name])] for name in FIELDS],
        notes=[
            "Amounts: $250,000, 250k, $250K, 1.2M; a range counts as its midpoint. US dollars "
            "only: rows in another currency are rejected, never converted. Other columns are "
            "named and ignored.",
            "A point without a year is of this year; points of other years are brought to this "
            "year's dollars with careerbench's pay index.",
        ],
        testid="columns",
    )


PAGES = (PageSpec("points", "Your data points", build_points, post=True),)
