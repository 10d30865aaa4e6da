"""``careerbench claims``: every published claim careerbench tests, with what the data say."""

from __future__ import annotations

import typer
from rich.table import Table

from careerbench import services
from careerbench.cli.common import JsonOption, StoreOption, console, print_json


def register(app: typer.Typer) -> None:
    app.command("claims")(claims_command)


def claims_command(store: StoreOption = None, json: JsonOption = False) -> None:
    """Published claims about tracks, market trends and posted ranges, tested on the data."""
    result = services.published_claims(store)
    if json:
        print_json(result.to_dict())
        return
    for kind, checks in result.groups.items():
        table = Table(title=f"claims about {kind}", show_lines=True)
        for column in ("claim", "verdict", "our data"):
            table.add_column(column)
        for c in checks:
            table.add_row(f"{c.claim.claim} {c.claim.citation}", c.verdict, c.evidence)
        console.print(table)
