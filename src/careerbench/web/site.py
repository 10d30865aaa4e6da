"""The web app's pages, in the order of the navigation: the one registry of pages.

A new page is a ``PageSpec`` in a page-family module (``market_pages``, ``points_page``,
``money_pages``, ``paths_pages``), listed here; the kit makes its routes and downloads.
"""

from __future__ import annotations

from careerbench.web import market_pages, money_pages, paths_pages, points_page
from careerbench.web.kit import PageSpec, router

PAGES: tuple[PageSpec, ...] = (
    *market_pages.PAGES,
    *points_page.PAGES,
    *money_pages.PAGES,
    *paths_pages.PAGES,
    *market_pages.LATER_PAGES,
)
ROUTER = router(PAGES)
