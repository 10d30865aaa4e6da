"""Equity risk: Monte Carlo of stock prices, vested values and after-tax totals.

The share price follows geometric Brownian motion with monthly steps: expected growth
``stock.growth`` a year (the mean path matches the deterministic view) and volatility
``stock.volatility`` (default by company type from ``equity_defaults.yaml``). Every path values
each RSU vesting event at the price of its month relative to its grant month, so refreshers are
granted at the path's price. Startup options come from ``options.py`` (paid in the exit year).

Each path's yearly wages (cash from the deterministic view + that path's equity) are taxed with
the offer's tax curve (``tax.tax_curve``); the after-tax total is adjusted to the reference place
(BEA RPP). Units: US dollars, nominal, summed over the horizon. Different companies' stocks are
simulated independently (no correlation between employers). Everything is seeded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from careerbench.errors import InputError, InvalidValue
from careerbench.knowledge import load_yaml
from careerbench.money.offer import Offer, vest_events
from careerbench.money.options import paper_values, simulate_options
from careerbench.money.projection import Projection
from careerbench.money.tax import tax_curve

FloatArray = npt.NDArray[np.float64]
DEFAULT_PATHS = 10_000
MAX_PATHS = 1_000_000


def _defaults() -> dict[str, Any]:
    document: dict[str, Any] = load_yaml(Path(__file__).with_name("equity_defaults.yaml"))
    return document


def default_volatility(company_type: str) -> float:
    table: dict[str, float] = _defaults()["volatility"]
    if company_type not in table:
        raise InvalidValue("stock.company_type", company_type, table)
    return float(table[company_type])


def volatility_of(offer: Offer) -> tuple[float, str]:
    """The volatility to use and where it came from."""
    if offer.stock.volatility is not None:
        return offer.stock.volatility, "given in the offer"
    source = str(_defaults()["source"])
    return default_volatility(offer.stock.company_type), (
        f"default for {offer.stock.company_type} ({source})"
    )


@dataclass(frozen=True)
class Band:
    p10: float
    p50: float
    p90: float
    mean: float

    @classmethod
    def of(cls, values: FloatArray) -> Band:
        p10, p50, p90 = np.percentile(values, [10, 50, 90])
        return cls(float(p10), float(p50), float(p90), float(np.mean(values)))

    def to_dict(self) -> dict[str, float]:
        return {k: round(v, 2) for k, v in vars(self).items()}


@dataclass(frozen=True)
class OfferRisk:
    name: str
    volatility: float
    volatility_source: str
    vested_by_year: list[Band]
    vested_total: Band
    after_tax_col_total: Band
    after_tax_col: FloatArray = field(repr=False)
    options: Band | None = None
    options_zero_probability: float | None = None
    options_paper: dict[str, Any] | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "offer": self.name,
            "volatility": self.volatility,
            "volatility_source": self.volatility_source,
            "vested_by_year": [b.to_dict() for b in self.vested_by_year],
            "vested_total": self.vested_total.to_dict(),
            "after_tax_col_total": self.after_tax_col_total.to_dict(),
        }
        if self.options is not None:
            out["options_pre_tax"] = self.options.to_dict()
            out["options_zero_probability"] = self.options_zero_probability
            out["options_paper"] = self.options_paper
        return out


@dataclass(frozen=True)
class RiskResult:
    offers: list[OfferRisk]
    paths: int
    seed: int
    years: int

    def beats(self, a: int, b: int) -> float:
        """P(offer ``a``'s after-tax COL-adjusted total > offer ``b``'s)."""
        return float(np.mean(self.offers[a].after_tax_col > self.offers[b].after_tax_col))

    def to_dict(self) -> dict[str, Any]:
        pairs = [
            {"a": x.name, "b": y.name, "p_a_beats_b": round(self.beats(i, j), 4)}
            for i, x in enumerate(self.offers)
            for j, y in enumerate(self.offers)
            if i < j
        ]
        return {
            "paths": self.paths,
            "seed": self.seed,
            "years": self.years,
            "offers": [o.to_dict() for o in self.offers],
            "pairs": pairs,
            "model": "geometric Brownian motion, monthly steps, independent per employer",
        }


def log_price_paths(
    paths: int, months: int, growth: float, volatility: float, rng: np.random.Generator
) -> FloatArray:
    """Log of price / today's price at months 0..``months`` (column 0 is 0)."""
    drift = (np.log1p(growth) - volatility**2 / 2) / 12
    steps = drift + volatility / np.sqrt(12) * rng.standard_normal((paths, months))
    out = np.zeros((paths, months + 1))
    np.cumsum(steps, axis=1, out=out[:, 1:])
    return out


def simulate_vesting(
    offer: Offer, years: int, paths: int, rng: np.random.Generator, volatility: float
) -> FloatArray:
    """Vested RSU value per path and year: an array (paths, years)."""
    events = vest_events(offer, years)
    if not events:
        return np.zeros((paths, years))
    month = np.array([e.month for e in events])
    granted = np.array([e.grant_month for e in events])
    dollars = np.array([e.dollars for e in events])
    onehot = np.zeros((len(events), years))
    onehot[np.arange(len(events)), np.array([e.year for e in events]) - 1] = 1.0
    logp = log_price_paths(paths, 12 * years, offer.stock.growth, volatility, rng)
    values = dollars * np.exp(logp[:, month] - logp[:, granted])
    result: FloatArray = values @ onehot
    return result


def simulate_projection(projection: Projection, paths: int, rng: np.random.Generator) -> OfferRisk:
    offer = projection.offer
    years = len(projection.rows)
    volatility, source = volatility_of(offer)
    vested = simulate_vesting(offer, years, paths, rng, volatility)
    cash = np.array([row.wages - row.equity_total for row in projection.rows])
    wages = cash[None, :] + vested
    options_band = zero = paper = None
    if offer.options is not None:
        option_paths = simulate_options(offer.options, paths, rng)
        if option_paths.exit_year <= years:
            wages[:, option_paths.exit_year - 1] += option_paths.values
        options_band = Band.of(option_paths.values)
        zero = float(np.mean(option_paths.values <= 0))
        paper = paper_values(offer.options)
    location = projection.location
    assert location.state is not None
    curve = tax_curve(
        location.state, offer.filing_status, 2025, offer.locality or location.locality
    )
    match = np.array([row.retirement_match for row in projection.rows])
    after_tax = wages + match[None, :] - curve.total_tax(wages)
    factor = projection.rows[0].col_factor
    totals = after_tax.sum(axis=1) * factor
    return OfferRisk(
        name=projection.name,
        volatility=volatility,
        volatility_source=source,
        vested_by_year=[Band.of(vested[:, y]) for y in range(years)],
        vested_total=Band.of(vested.sum(axis=1)),
        after_tax_col_total=Band.of(totals),
        after_tax_col=totals,
        options=options_band,
        options_zero_probability=zero,
        options_paper=paper,
    )


def simulate(
    projections: list[Projection], *, paths: int = DEFAULT_PATHS, seed: int = 0
) -> RiskResult:
    """Monte Carlo ranges for each projected offer (same horizon for all), seeded."""
    if not 100 <= paths <= MAX_PATHS:
        raise InputError("paths", f"{paths} is not between 100 and {MAX_PATHS:,}")
    if not projections:
        raise InputError("offers", "give at least one offer")
    years = {len(p.rows) for p in projections}
    if len(years) != 1:
        raise InputError("years", "every offer must be projected over the same years")
    rng = np.random.default_rng(seed)
    risks = [simulate_projection(p, paths, rng) for p in projections]
    return RiskResult(risks, paths, seed, years.pop())
