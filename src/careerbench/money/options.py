"""Startup stock options: what they may be worth at an exit, zero included.

Model (every input is in the offer's ``options`` section; money in US dollars, nominal):
- the company exits by ``exit.year`` with probability ``exit.probability`` (else the options
  are worth nothing); the exit value is log-normal with median ``exit.value_p50`` and log-sd
  ``exit.value_sigma``, or one of the explicit ``exit.scenarios`` (each with its probability;
  what remains is no exit);
- each of ``rounds_before_exit`` future rounds dilutes everyone by ``dilution_per_round``;
- a liquidation preference stack ``liquidation_preference`` is paid first. Participating preferred
  then shares the rest with everyone; non-participating preferred takes the larger of its
  preference and its as-converted share (``preferred_ownership`` of the company at exit), and
  common shares split what is left;
- you stay until the exit: the options vested by then are exercised at ``strike``.

The spread is pre-tax; ``equity.py`` taxes it as wages in the exit year (as for non-qualified
options; incentive stock options may qualify for capital-gains rates, which is not modelled).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from careerbench.money.offer import Options

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class OptionPaths:
    """Pre-tax option value per simulated path (USD) and the year it is paid."""

    values: FloatArray
    exit_year: int


def exit_values(options: Options, paths: int, rng: np.random.Generator) -> FloatArray:
    """Company exit value per path (0 = no exit by the exit year)."""
    exit_ = options.exit
    if exit_.scenarios:
        probabilities = np.array([s.probability for s in exit_.scenarios])
        values = np.array([s.value for s in exit_.scenarios] + [0.0])
        p = np.append(probabilities, max(0.0, 1.0 - probabilities.sum()))
        choice = rng.choice(len(values), size=paths, p=p / p.sum())
        out: FloatArray = values[choice]
        return out
    assert exit_.value_p50 is not None
    happens = rng.random(paths) < exit_.probability
    value = exit_.value_p50 * np.exp(exit_.value_sigma * rng.standard_normal(paths))
    result: FloatArray = np.where(happens, value, 0.0)
    return result


def common_price(options: Options, exit_value: FloatArray) -> FloatArray:
    """Price per common share at an exit of ``exit_value`` after dilution and preferences."""
    retained = (1.0 - options.dilution_per_round) ** options.rounds_before_exit
    shares_at_exit = options.fully_diluted_shares / retained
    stack = options.liquidation_preference
    value = np.asarray(exit_value, dtype=np.float64)
    if options.participating:
        price: FloatArray = np.maximum(value - stack, 0.0) / shares_at_exit
        return price
    preferred_take = np.maximum(np.minimum(stack, value), options.preferred_ownership * value)
    common_shares = shares_at_exit * (1.0 - options.preferred_ownership)
    result: FloatArray = np.maximum(value - preferred_take, 0.0) / common_shares
    return result


def simulate_options(options: Options, paths: int, rng: np.random.Generator) -> OptionPaths:
    """Pre-tax value of the options vested by the exit, per path."""
    vested = options.shares * options.vesting().vested_fraction(12 * options.exit.year)
    price = common_price(options, exit_values(options, paths, rng))
    return OptionPaths(vested * np.maximum(price - options.strike, 0.0), options.exit.year)


def paper_values(options: Options) -> dict[str, Any]:
    """What the grant looks like on paper: at the preferred price and at the 409A price."""
    out: dict[str, Any] = {
        "shares": options.shares,
        "strike": options.strike,
        "ownership_today": options.shares / options.fully_diluted_shares,
        "ownership_at_exit": options.shares
        / options.fully_diluted_shares
        * (1 - options.dilution_per_round) ** options.rounds_before_exit,
    }
    if options.preferred_price is not None:
        out["paper_value_at_preferred_price"] = options.shares * max(
            0.0, options.preferred_price - options.strike
        )
    if options.fmv_409a is not None:
        out["spread_at_409a"] = options.shares * max(0.0, options.fmv_409a - options.strike)
    return out
