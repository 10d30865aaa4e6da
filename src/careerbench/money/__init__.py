"""Offers, equity, taxes and switch-or-stay: money in annual US dollars, nominal, 2025 tax rules.

Public API (each function's module states its units and conventions):

- ``compute_tax`` (tax.py): federal, state, city and payroll tax on a year's wages;
- ``parse_schedule``, ``vest`` (vesting.py): vesting presets and custom schedules;
- ``load_offer``, ``offer_from_dict``, ``Offer`` (offer.py): an offer file as data;
- ``project`` (projection.py): an offer year by year, after tax and cost of living;
- ``locate``, ``rpp``, ``col_adjust`` (geo.py): places and BEA price levels;
- ``compare_offers`` (compare.py), ``write_report`` (report.py): offers side by side;
- ``simulate`` (equity.py): Monte Carlo ranges of equity and after-tax totals;
- ``switch_or_stay`` (switch.py), ``compare_places`` (places.py).

Submodules are imported on first use, so ``import careerbench.money`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "compute_tax": "tax",
    "parse_schedule": "vesting",
    "vest": "vesting",
    "load_offer": "offer",
    "offer_from_dict": "offer",
    "Offer": "offer",
    "project": "projection",
    "locate": "geo",
    "rpp": "geo",
    "col_adjust": "geo",
    "compare_offers": "compare",
    "write_report": "report",
    "simulate": "equity",
    "switch_or_stay": "switch",
    "compare_places": "places",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"careerbench.money.{_EXPORTS[name]}"), name)
