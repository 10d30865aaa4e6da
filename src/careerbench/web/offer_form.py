"""An offer as form fields, and back: shared by the offers, switch and negotiate pages.

An offer's fields carry a prefix (``o1_``, ``c_``, ``x_``: two offers, the current job, a
competing offer), so several offers share one query string. ``offer_document`` turns the fields
back into an offer file's content (``money.offer.offer_from_dict`` reads it). Amounts are annual
US dollars; the bonus is a percentage of base.
"""

from __future__ import annotations

from typing import Any

from careerbench.errors import InputError
from careerbench.limits import AMOUNT, BONUS_PCT, OFFER_BASE
from careerbench.money.vesting import preset_descriptions, preset_names
from careerbench.web.kit import Field, Query, choice_input, number_input

#: The example offers the forms show before any input.
EXAMPLE_OFFERS = [
    {
        "employer": "BigCo",
        "place": "San Francisco, CA",
        "base": "260000",
        "bonus": "15",
        "rsu": "400000",
        "schedule": "33-33-22-12",
        "signon": "50000",
    },
    {
        "employer": "RemoteCo",
        "place": "remote:Austin, TX",
        "base": "220000",
        "bonus": "10",
        "rsu": "200000",
        "schedule": "even-4y-quarterly",
        "signon": "",
    },
]
#: The example new offer of the switch and negotiate pages.
EXAMPLE_NEW_OFFER = {
    "employer": "NewCo",
    "place": "Austin, TX",
    "base": "215000",
    "bonus": "15",
    "rsu": "320000",
    "schedule": "even-4y-quarterly",
    "signon": "40000",
}
EXAMPLE_CURRENT_JOB = {
    "employer": "CurrentCo",
    "place": "Austin, TX",
    "base": "185000",
    "bonus": "10",
    "rsu": "240000",
    "schedule": "even-4y-quarterly",
    "signon": "",
}
#: An optional offer: empty unless given.
BLANK = dict.fromkeys(EXAMPLE_NEW_OFFER, "")


def offer_fields(q: Query, prefix: str, label: str, example: dict[str, str]) -> list[Field]:
    """The inputs of one offer, prefilled from the query string or the example: a group of
    the form under ``label``, the sign-on folded away."""
    given = any(q.get(f"{prefix}_{k}") for k in example)
    value = {k: (q.get(f"{prefix}_{k}") if given else v) for k, v in example.items()}
    schedules = preset_names()
    fields = [
        Field(f"{prefix}_employer", "Employer", value["employer"], suggest="companies"),
        Field(
            f"{prefix}_place",
            "Place",
            value["place"],
            placeholder="City, ST or remote:City, ST",
            suggest="cities",
        ),
        number_input(f"{prefix}_base", "Base salary (USD a year)", value["base"], OFFER_BASE),
        number_input(f"{prefix}_bonus", "Bonus target (% of base)", value["bonus"], BONUS_PCT),
        number_input(f"{prefix}_rsu", "Stock grant (USD, whole grant)", value["rsu"], AMOUNT),
        choice_input(
            f"{prefix}_schedule",
            "Vesting",
            schedules,
            [value["schedule"] or schedules[0]],
            labels=preset_descriptions(),
            required=True,
        ),
        number_input(
            f"{prefix}_signon", "Sign-on bonus (USD)", value["signon"], AMOUNT, advanced=True
        ),
    ]
    for f in fields:
        f.group = label
    return fields


def _amount(name: str, text: str) -> float:
    try:
        return float(text.replace(",", "").replace("$", ""))
    except ValueError:
        raise InputError(name, f"{text!r} is not a number") from None


def offer_document(fields: list[Field], prefix: str) -> dict[str, Any] | None:
    """An offer file's content from its page inputs (None when the offer is left empty)."""
    value = {
        f.name.removeprefix(prefix + "_"): (f.value or (f.selected or [""])[0]) for f in fields
    }
    if not value["base"]:
        return None
    document: dict[str, Any] = {
        "employer": value["employer"] or prefix,
        "place": value["place"] or "US",
        "base": _amount(f"{prefix}_base", value["base"]),
        "bonus_target_pct": _amount(f"{prefix}_bonus", value["bonus"] or "0"),
    }
    if value["rsu"]:
        document["rsu"] = [
            {"value": _amount(f"{prefix}_rsu", value["rsu"]), "schedule": value["schedule"]}
        ]
    if value["signon"]:
        document["sign_on"] = [{"amount": _amount(f"{prefix}_signon", value["signon"]), "year": 1}]
    return document
