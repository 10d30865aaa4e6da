"""How the market moves: pay by year, the AI-title premium by year, and published trends checked.

- **Pay by year**: n and P25/P50/P75 for a role (and level, country) per observed year, one
  series per measure and source (a series never mixes total comp with base salary, nor one
  source's population with another's), in nominal dollars of that year and in one year's dollars
  on the chosen basis (the pay index by default, or CPI-U).
- **AI premium by year**: aijobs.net postings with AI-specific titles vs generic software, data
  science and data engineering titles at the same level, country and remote arrangement, per
  year (matched log ratio of medians, seeded bootstrap 95% interval; see ``paths.skills``).
- **Claims**: each published trend beside what our data says - supports, contradicts, or cannot
  tell - with the reason. Our data are postings and self-reports, not a hiring census.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import ibis.expr.types as ir

from careerbench.claims import CANNOT_TELL, ClaimCheck, claim
from careerbench.cohort import Cohort
from careerbench.config import store_path
from careerbench.pay_index import Basis, basis_for
from careerbench.premiums import Measured, premium_by_year
from careerbench.schema import Source
from careerbench.sources import registry
from careerbench.store import Store, cohort, observed_years, scaled

MIN_YEAR_N = 5


@dataclass(frozen=True)
class YearPay:
    measure: str
    source: str
    year: int
    n: int
    p25: float | None
    p50: float | None
    p75: float | None
    p25_real: float | None
    p50_real: float | None
    p75_real: float | None


@dataclass
class Trends:
    filters: dict[str, Any]
    currency_year: int
    basis: str
    by_year: list[YearPay]
    premium_by_year: dict[int, Measured]
    postings_by_year: dict[str, dict[int, int]]
    claims: list[ClaimCheck]
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "filters": self.filters,
            "currency_year": self.currency_year,
            "currency": f"nominal USD of each year, and {self.basis}",
            "by_year": [asdict(y) for y in self.by_year],
            "ai_premium_by_year": {str(y): asdict(m) for y, m in self.premium_by_year.items()},
            "postings_by_year": {
                k: {str(y): n for y, n in v.items()} for k, v in self.postings_by_year.items()
            },
            "claims": [c.to_dict() for c in self.claims],
            "notes": self.notes,
        }


def _pay_by_year(records: ir.Table, filters: dict[str, Any], basis: Basis) -> list[YearPay]:
    """One series per measure (total comp, base) and source, of the sources measuring it."""
    table = cohort(records, filters)
    factors = basis.factors(observed_years(table))
    out = []
    for measure in ("total_comp", "base"):
        part = table.filter(registry.measured(table, measure))
        real = scaled(part, measure, factors)
        grouped = part.group_by(["source", "observed_year"]).aggregate(
            n=part.count(),
            p25=part[measure].quantile(0.25),
            p50=part[measure].quantile(0.5),
            p75=part[measure].quantile(0.75),
            p25_real=real.quantile(0.25),
            p50_real=real.quantile(0.5),
            p75_real=real.quantile(0.75),
        )
        rows = grouped.order_by(["source", "observed_year"]).to_pyarrow().to_pylist()
        for row in rows:
            shown = row["n"] >= MIN_YEAR_N
            out.append(
                YearPay(
                    measure,
                    str(row["source"]),
                    int(row["observed_year"]),
                    int(row["n"]),
                    *(
                        (row[k] if shown else None)
                        for k in ("p25", "p50", "p75", "p25_real", "p50_real", "p75_real")
                    ),
                )
            )
    return out


def _postings(records: ir.Table) -> dict[str, dict[int, int]]:
    """aijobs.net records per role family and year."""
    chosen = records.filter(records.source == Source.AIJOBS.value)
    counted = chosen.group_by(["role_family", "observed_year"]).aggregate(n=chosen.count())
    rows = counted.order_by(["role_family", "observed_year"]).to_pyarrow().to_pylist()
    out: dict[str, dict[int, int]] = {}
    for row in rows:
        out.setdefault(str(row["role_family"]), {})[int(row["observed_year"])] = int(row["n"])
    return out


def _check_premium_rise(premiums: dict[int, Measured]) -> ClaimCheck:
    c = claim("ai-premium-rise")
    before, after = premiums.get(2024), premiums.get(2025)
    if not (before and after and before.interval and after.interval):
        return ClaimCheck(c, CANNOT_TELL, "no premium for 2024 or 2025", kind="trend")
    evidence = (
        f"AI-title premium in aijobs.net postings (base salary): 2024 {before.premium:+.1%} "
        f"({before.interval[0]:+.1%} to {before.interval[1]:+.1%}), 2025 {after.premium:+.1%} "
        f"({after.interval[0]:+.1%} to {after.interval[1]:+.1%}); titles, not skills, so levels "
        "differ from the barometer's"
    )
    if after.interval[0] > before.interval[1]:
        verdict = "supports a rise"
    elif after.interval[1] < before.interval[0]:
        verdict = "contradicts: the premium fell"
    else:
        verdict = "cannot tell: the intervals overlap"
    n = {"2024": before.n_ai + before.n_other, "2025": after.n_ai + after.n_other}
    return ClaimCheck(c, verdict, evidence, kind="trend", n=n)


def _check_ai_engineer_demand(postings: dict[str, dict[int, int]]) -> ClaimCheck:
    c = claim("ai-engineer-demand")
    counts = postings.get("ai-engineer", {})
    if not counts.get(2023) or not counts.get(2024):
        return ClaimCheck(c, CANNOT_TELL, "no AI engineer postings", kind="trend")
    growth = counts[2024] / counts[2023] - 1
    evidence = (
        f"distinct AI engineer records in the aijobs.net index: 2023 {counts[2023]:,}, 2024 "
        f"{counts[2024]:,} ({growth:+.0%}); the index's own coverage grew too, so this bounds "
        "nothing about hiring"
    )
    total = {y: sum(v.get(y, 0) for v in postings.values()) for y in (2023, 2024)}
    share = (counts[2024] / total[2024]) / (counts[2023] / total[2023]) - 1
    evidence += f"; their share of all records grew {share:+.0%}"
    verdict = "supports strong growth" if share > 0.5 else CANNOT_TELL
    n = {"2023": counts[2023], "2024": counts[2024]}
    return ClaimCheck(c, verdict, evidence, kind="trend", n=n)


def trends(
    parsed: Cohort,
    *,
    year: int | None = None,
    basis: str = "pay-index",
    store: Path | str | None = None,
) -> Trends:
    """Pay by year for a cohort (its role, level and country), one series per measure and
    source, the AI premium by year, and the published trends checked."""
    path = store_path(store)
    chosen = basis_for(path, basis, year)
    with Store(path) as db:
        return trends_of(db.records(), parsed, chosen, premium_by_year(path, parsed.country))


def trends_of(
    records: ir.Table, parsed: Cohort, chosen: Basis, premiums: dict[int, Measured]
) -> Trends:
    """``trends`` of a records table on any engine (a store's, a lake's), on the basis
    ``chosen``, with the AI premium by year ``premiums`` (``premiums.by_year_of`` the same
    records)."""
    filters = {"role_family": parsed.role, "level": parsed.level, "country": parsed.country}
    by_year = _pay_by_year(records, filters, chosen)
    postings = _postings(records)
    notes = [
        "each series is one measure from one source: the sources' populations differ (postings "
        "vs self-reports, years covered), so compare years within a series, not across series"
    ]
    if parsed.level is None:
        notes.append("all levels pooled: a year's median moves with its mix of levels")
    return Trends(
        filters={k: v for k, v in filters.items() if v is not None},
        currency_year=chosen.year,
        basis=chosen.label,
        by_year=by_year,
        premium_by_year=premiums,
        postings_by_year=postings,
        claims=[_check_premium_rise(premiums), _check_ai_engineer_demand(postings)],
        notes=notes,
    )
