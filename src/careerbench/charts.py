"""Charts as files: Vega-Lite specs (altair) rendered offline to SVG or PNG by vl-convert.

No browser and no network: vl-convert bundles the Vega renderer.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import altair as alt
import pandas as pd

from careerbench.errors import InputError

FORMATS = {".svg", ".png"}


def fan_chart(
    series: Sequence[tuple[str, Sequence[int], Sequence[float], Sequence[float], Sequence[float]]],
    *,
    title: str,
    y_title: str,
) -> alt.LayerChart:
    """P10-P90 bands with a P50 line per series: (label, years, p10, p50, p90)."""
    rows = [
        {"series": label, "year": year, "p10": lo, "p50": mid, "p90": hi}
        for label, years, p10, p50, p90 in series
        for year, lo, mid, hi in zip(years, p10, p50, p90, strict=True)
    ]
    data = pd.DataFrame(rows)
    base = alt.Chart(data).encode(
        x=alt.X("year:Q", title="year", axis=alt.Axis(tickMinStep=1)),
        color=alt.Color("series:N", title=None, legend=alt.Legend(orient="top", labelLimit=500)),
    )
    band = base.mark_area(opacity=0.25).encode(
        y=alt.Y("p10:Q", title=y_title, axis=alt.Axis(format="$.3~s")), y2="p90:Q"
    )
    line = base.mark_line(strokeWidth=2).encode(y="p50:Q")
    chart: alt.LayerChart = (band + line).properties(title=title, width=560, height=300)
    return chart


def save_chart(chart: alt.TopLevelMixin, path: Path) -> Path:
    """Write ``chart`` as SVG or PNG, by the file's suffix."""
    if path.suffix.lower() not in FORMATS:
        raise InputError("chart", f"{path.name}: give a file ending in .svg or .png")
    try:
        chart.save(str(path))
    except OSError as exc:
        raise InputError("chart", f"cannot write {path}: {exc}") from exc
    return path
