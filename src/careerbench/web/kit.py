"""The page kit: what every page is made of, and how a page becomes routes.

A page is a ``PageSpec``: its name, its title in the navigation, a builder that turns the query
string into a ``Page`` (a form of ``Field``s, ``Section``s of tables, notes and a chart, a verdict)
and, for its JSON download, the document function that returns the same document as the page's
API endpoint. From a spec the kit derives everything else, the same way for every page:

- ``/<name>`` (``/`` for ``index``): the page, rendered by ``templates/page.html``; the state
  lives in the query string, so a page is a link (``share``) and back/forward work;
- ``/download/<name>.csv``: the page's first table, for the same query string;
- ``/download/<name>.json``: the page's document, for the same query string;
- a user's mistake (a ``CareerbenchError`` or ``ValueError``, or a ``Page.error`` its builder
  set beside the form it keeps) renders with status 422: the form as the user filled it in
  (``PageSpec.fields``) with the message, in plain words, beside the field it is about;
- the form's fields come in groups (``Field.group``, a fieldset each), the rarely needed ones
  folded under "More options" (``Field.advanced``), typed ones with suggestions from the
  knowledge files (``Field.suggest``); choices are shown by name, their slugs only as values;
- charts (Vega-Lite specs from ``careerbench.charts``) are rendered to SVG on the server, so
  pages need no script; a section may add a narrower drawing for phones (``chart_narrow``);
- any other address outside ``/api/`` and ``/static/`` gets an HTML "not found" page, a page
  asked with a method it does not take an HTML "not allowed" page, and a failure of the server
  an HTML "something went wrong" page without any internal detail (``server_error_page``);
- a page whose input should stay out of URLs (pasted data, a file) is a ``PageSpec`` with
  ``post``: its form is sent as a POST body (a file field needs one), read within the app's body
  limit by ``read_form``, and given to the builder as the ``Query``; such a page has no share
  link or downloads, since those repeat the input in a URL.

Builders call the library's service layer (``careerbench.services``) and the library's typed
results: the numbers a page shows are those of the API and the command line.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.concurrency import run_in_threadpool
from starlette.convertors import Convertor, register_url_convertor
from starlette.datastructures import QueryParams

from careerbench import charts
from careerbench.cohort import Choice
from careerbench.cohort import field as cohort_field
from careerbench.errors import CareerbenchError, InputError, InvalidValue, closest
from careerbench.limits import Bound
from careerbench.taxonomy import companies, places

HERE = Path(__file__).parent
STATIC = HERE / "static"
TEMPLATES = Environment(
    loader=FileSystemLoader(str(HERE / "templates")), autoescape=select_autoescape(["html"])
)
StoreRef = Path | str | None
#: The width (px) of a chart drawn for phones, whose text stays at least 11 px there.
NARROW = 350


@dataclass
class Field:
    name: str
    label: str
    value: str | None = None
    type: str = "text"
    options: list[Choice] = field(default_factory=list)
    selected: list[str] = field(default_factory=list)
    multiple: bool = False
    required: bool = False
    placeholder: str = ""
    #: For a file field: the kinds of file it takes (``accept``).
    accept: str = ""
    #: What is wrong with the value given, in plain words (shown beside the field).
    error: str = ""
    #: What the value was read as when not taken as typed (shown beside the field), e.g.
    #: "Seattle → Seattle-Tacoma-Bellevue, WA".
    note: str = ""
    #: The group of the form it belongs to (a fieldset with this legend; "": the main one).
    group: str = ""
    #: Optional and rarely needed: folded away under "More options" until asked for.
    advanced: bool = False
    #: The list of suggestions it offers while typing (a key of ``SUGGESTIONS``).
    suggest: str = ""
    #: A number's bounds as the input's attributes (``min``, ``max``, ``step``).
    bounds: dict[str, str] = field(default_factory=dict)


@dataclass
class Section:
    heading: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    chart: dict[str, Any] | None = None
    chart_label: str = ""
    #: The chart drawn for phones (narrower, its text as large), shown instead on small screens.
    chart_narrow: dict[str, Any] | None = None
    #: A sentence shown above the chart.
    lead: str = ""
    svg: str = ""
    svg_narrow: str = ""
    testid: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class FormGroup:
    """A fieldset of the form: its legend, its main fields and those folded away."""

    legend: str
    main: list[Field]
    more: list[Field]
    #: Some folded field was filled in or is wrong: the fold starts open.
    open: bool = False


@dataclass
class Page:
    title: str
    intro: str
    fields: list[Field] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    verdict: str = ""
    error: str = ""
    #: A notice about the answer as a whole (shown above it), e.g. that a model is not ready.
    notice: str = ""
    path: str = ""
    downloads: list[tuple[str, str]] = field(default_factory=list)
    share: str = ""
    post: bool = False
    #: The names of the fields the user filled in (folded ones among them start open).
    given: set[str] = field(default_factory=set)

    def form_groups(self) -> list[FormGroup]:
        """The fields by group, in order of first appearance, the required ones first."""
        groups: dict[str, FormGroup] = {}
        for f in self.fields:
            group = groups.setdefault(f.group, FormGroup(f.group, [], []))
            (group.more if f.advanced else group.main).append(f)
            group.open |= f.advanced and (bool(f.error) or f.name in self.given)
        for group in groups.values():
            group.main.sort(key=lambda f: not f.required)
        return list(groups.values())

    def suggestions(self) -> dict[str, list[str]]:
        """The suggestion lists the form's fields use."""
        used = {f.suggest for f in self.fields if f.suggest}
        return {name: SUGGESTIONS[name]() for name in sorted(used)}


@dataclass(frozen=True)
class Form:
    """A form sent as a POST body: its text fields and its files (name -> content)."""

    fields: list[tuple[str, str]]
    files: dict[str, bytes]


async def read_form(request: Request) -> Form:
    """The form in a POST body (URL-encoded or multipart), read with the standard library; the
    body is within the app's body limit."""
    body = await request.body()
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/x-www-form-urlencoded"):
        return Form(parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True), {})
    if not kind.startswith("multipart/form-data"):
        return Form([], {})
    head = f"Content-Type: {kind}\r\n\r\n".encode("latin-1", "replace")
    message = BytesParser(policy=policy.HTTP).parsebytes(head + body)
    fields: list[tuple[str, str]] = []
    files: dict[str, bytes] = {}
    for part in message.walk():
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str) or part.is_multipart():
            continue
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        if part.get_filename() is not None:
            files[name] = content
        else:
            fields.append((name, content.decode("utf-8", "replace")))
    return Form(fields, files)


#: The largest whole number a page field takes (a count, a number of years or months, a seed).
INTEGER_LIMIT = 2**31 - 1


class Query:
    """Read access to the query string (or a posted form): one value, several values, numbers,
    a long text, a file."""

    def __init__(self, request: Request, form: Form | None = None) -> None:
        self.params = request.query_params if form is None else QueryParams(form.fields)
        self.files = {} if form is None else form.files
        self.posted = form is not None
        # Blank fields mean "not given": links made from the query leave them out, so a
        # download link asks the same question as the page.
        given = [(k, v) for k, v in self.params.multi_items() if v.strip()]
        self.text = urlencode(given)
        # A first visit (nothing asked yet) shows an example question; once a question is
        # asked, a blank field means "any", as it does in the API and on the command line.
        self.first_visit = not given

    def get(self, name: str, default: str | None = None) -> str | None:
        value = self.params.get(name)
        return value.strip()[:100] if value and value.strip() else default

    def many(self, name: str) -> list[str]:
        return [v.strip()[:100] for v in self.params.getlist(name) if v.strip()][:10]

    def number(self, name: str, default: float | None = None) -> float | None:
        value = self.get(name)
        if value is None:
            return default
        try:
            number = float(value.replace(",", "").replace("$", ""))
        except ValueError:
            raise InputError(name, f"{value!r} is not a number") from None
        if not math.isfinite(number):
            raise InputError(name, f"{value!r} is not a number")
        return number

    def long_text(self, name: str, limit: int) -> str | None:
        """A field that may be long (a pasted table), whole; ``InputError`` over ``limit``."""
        value = self.params.get(name)
        if value is None or not value.strip():
            return None
        if len(value) > limit:
            raise InputError(name, f"at most {limit:,} characters")
        return value

    def file(self, name: str) -> bytes | None:
        """A posted file's content (``None``: no file chosen)."""
        content = self.files.get(name)
        return content or None

    def integer(self, name: str, default: int) -> int:
        """A whole number from 0 to ``INTEGER_LIMIT`` (``InputError`` otherwise: a fraction is
        not truncated, nor a huge or negative number passed on)."""
        value = self.number(name)
        if value is None:
            return default
        if not value.is_integer() or not 0 <= value <= INTEGER_LIMIT:
            raise InputError(
                name, f"{self.get(name)!r} is not a whole number from 0 to {INTEGER_LIMIT:,}"
            )
        return int(value)

    def texts(
        self, names: Sequence[str], defaults: dict[str, str] | None = None
    ) -> dict[str, str | None]:
        """The named fields' texts (blank: the default, if any)."""
        return {n: self.get(n, (defaults or {}).get(n)) for n in names}


Builder = Callable[[Query, StoreRef], Page]
Document = Callable[[Query, StoreRef], dict[str, Any]]
#: A page's form as the user filled it in, read without judging the values (it never raises):
#: shown again, with the message beside the field, when the input is wrong.
FormFields = Callable[[Query], list[Field]]


@dataclass(frozen=True)
class PageSpec:
    name: str
    title: str
    build: Builder
    document: Document | None = None
    post: bool = False
    fields: FormFields | None = None

    @property
    def path(self) -> str:
        return "/" if self.name == "index" else f"/{self.name}"


# ---- form fields -----------------------------------------------------------------------
#: Suggestions offered while typing, from the knowledge files: name -> the values.
SUGGESTIONS: dict[str, Callable[[], list[str]]] = {
    "companies": lambda: sorted(companies.known_companies(), key=str.casefold),
    "metros": places.metro_names,
    "cities": places.city_names,
}
#: The suggestions of the cohort fields that are typed.
COHORT_SUGGESTIONS = {"company": "companies", "metro": "metros"}
#: Words written in capitals (or their own way) when a value's name is shown.
WORDS = {"ml": "ML", "ai": "AI", "llm": "LLM", "rag": "RAG", "mle": "MLE", "mlops": "MLOps",
         "api": "API", "genai": "GenAI", "us": "US", "phd": "PhD"}  # fmt: skip


def humanize(value: str) -> str:
    """A value's name for people: "mle-to-research-scientist" -> "MLE to research scientist"."""
    words = [WORDS.get(w.casefold(), w) for w in value.replace("_", "-").split("-") if w]
    return _first_upper(" ".join(words))


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


def cohort_input(
    name: str, value: str | None, *, required: bool = False, advanced: bool = False
) -> Field:
    """A form field for a cohort field, from its one declaration (label, values, example)."""
    spec = cohort_field(name)
    options = [] if spec.choices is None else list(spec.choices())
    options = [Choice(o.value, humanize(o.label) if o.label == o.value else _first_upper(o.label))
               for o in options]  # fmt: skip
    return Field(
        name,
        spec.label,
        None if options else value,
        options=options,
        selected=[value or ""] if options else [],
        required=required,
        placeholder=f"e.g. {spec.example}" if spec.example and not options else "",
        advanced=advanced,
        suggest="" if options else COHORT_SUGGESTIONS.get(name, ""),
    )


def choice_input(
    name: str,
    label: str,
    values: Sequence[str],
    selected: Sequence[str],
    labels: Mapping[str, str] | None = None,
    **more: Any,
) -> Field:
    """A select of values, each shown by its label in ``labels`` (else its name in words)."""
    names = labels or {}
    options = [Choice(v, names.get(v) or humanize(v)) for v in values]
    return Field(name, label, options=options, selected=list(selected), **more)


def number_input(
    name: str, label: str, value: float | str | None, bound: Bound, **more: Any
) -> Field:
    """A number field that takes the values of ``bound`` (the bound the library checks)."""
    shown = None if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    return Field(name, label, shown, type="number", bounds=bound.html(), **more)


def note_fields(fields: Sequence[Field], notes: Mapping[str, str]) -> None:
    """Put beside each named field what the library read its value as (``notes``: field name ->
    the library's note; "" when it took the value as typed)."""
    for f in fields:
        if notes.get(f.name):
            f.note = notes[f.name]


# ---- errors in plain words ---------------------------------------------------------------
#: Command-line wording in library messages: a parenthesised hint naming an option or a
#: command, an option (``--year``), a command (``careerbench ingest``).
CLI_HINT = re.compile(r"\s*\([^()]*(?:--|careerbench )[^()]*\)")
COMMAND = re.compile(r"(?:run )?`?careerbench [a-z]+[^`;,.)]*`?")
OPTION = re.compile(r"--([a-z][a-z0-9-]*)")


def plain(text: str) -> str:
    """A library message without command-line wording."""
    text = CLI_HINT.sub("", text)
    text = COMMAND.sub("load the data first", text)
    return OPTION.sub(lambda m: m.group(1).replace("-", " "), text).strip()


def field_error(exc: Exception, fields: Sequence[Field]) -> tuple[str | None, str]:
    """The field an error is about (when the form has it) and what is wrong, in plain words:
    no option names, no library internals."""
    by_name = {f.name: f for f in fields}
    name: str | None = _form_name(getattr(exc, "field", None), by_name)
    errors = getattr(exc, "errors", None)
    if callable(errors) and not isinstance(exc, CareerbenchError):  # a validation error
        first = (errors() or [{}])[0]
        where = [str(part) for part in first.get("loc", ())]
        name = next((part for part in reversed(where) if part in by_name), None)
        text = str(first.get("msg", "this value is not valid")).removeprefix("Value error, ")
    elif isinstance(exc, InvalidValue):
        shown = by_name.get(name or "")
        labels = {o.value: o.label for o in shown.options} if shown is not None else {}
        text = f"“{exc.value}” is not in our list"
        close = closest(str(exc.value), exc.valid)
        if close:
            text += "; did you mean " + " or ".join(f"“{labels.get(c, c)}”" for c in close) + "?"
    elif isinstance(exc, InputError):
        text = exc.problem
    else:
        text = str(exc)
        prefix = f"{getattr(exc, 'field', '')}: "
        text = text.removeprefix(prefix)
    text = plain(text)
    text = text[:1].upper() + text[1:]
    if name not in by_name:
        # Not a field of this form: the message still says which value is wrong.
        said = plain(name.replace("_", " ")) if name else ""
        return None, f"{said[:1].upper()}{said[1:]}: {text}" if said else text
    return name, text


def _form_name(name: str | None, fields: dict[str, Field]) -> str | None:
    """The form field a library error names: the same name, or a document's field within a
    group of the form ("o1: bonus_target_pct" is ``o1_bonus``)."""
    if name is None or name in fields:
        return name
    flat = re.sub(r":\s*", "_", name)
    matches = [n for n in fields if flat.startswith(n)]
    return max(matches, key=len) if matches else name


def show_error(page: Page, exc: Exception) -> None:
    """Put the error beside its field (and above the results), keeping the user's input; a
    chosen value the form does not offer stays chosen, marked as not recognised."""
    name, text = field_error(exc, page.fields)
    page.error = text
    for f in page.fields:
        if f.name != name:
            continue
        f.error = text
        offered = {o.value for o in f.options}
        f.options += [
            Choice(v, f"{v} (not recognised)") for v in f.selected if v and v not in offered
        ]
        page.error = f"{f.group}, {f.label.lower()}: {text}" if f.group else f"{f.label}: {text}"


# ---- rendering -------------------------------------------------------------------------
def render(
    spec: PageSpec, request: Request, navigation: Sequence[PageSpec], form: Form | None = None
) -> HTMLResponse:
    q = Query(request, form)
    try:
        page = spec.build(q, request.app.state.store)
        for section in page.sections:
            if section.chart is not None:
                section.svg = charts.svg(section.chart)
            if section.chart_narrow is not None:
                section.svg_narrow = charts.svg(section.chart_narrow)
        status = 422 if page.error else 200
    except (CareerbenchError, ValueError) as exc:
        page = Page(spec.title, "", fields=[] if spec.fields is None else spec.fields(q))
        show_error(page, exc)
        status = 422
    page.path = spec.path
    page.post = spec.post
    page.given = {name for name, value in q.params.multi_items() if value.strip()}
    if status == 200 and not spec.post:
        page.share = f"{spec.path}?{q.text}" if q.text else spec.path
        suffix = f"?{q.text}" if q.text else ""
        page.downloads = [("CSV", f"/download/{spec.name}.csv{suffix}")]
        if spec.document is not None:
            page.downloads.insert(0, ("JSON", f"/download/{spec.name}.json{suffix}"))
    nav = [(p.path, p.title) for p in navigation]
    html = TEMPLATES.get_template("page.html").render(page=page, nav=nav)
    return HTMLResponse(html, status_code=status)


class PagePath(Convertor[str]):
    """Any path outside the API and the static files: the addresses a person may type."""

    regex = r"(?!api(?:/|$)|static/).*"

    def convert(self, value: str) -> str:
        return value

    def to_string(self, value: str) -> str:
        return value


register_url_convertor("page", PagePath())
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]


def status_page(
    status: int, title: str, text: str, navigation: Sequence[PageSpec], **headers: str
) -> HTMLResponse:
    """A page (with the navigation) that says what went wrong: no page here, not that way."""
    nav = [(p.path, p.title) for p in navigation]
    html = TEMPLATES.get_template("page.html").render(page=Page(title, text), nav=nav)
    return HTMLResponse(html, status_code=status, headers=headers)


def server_error_page(navigation: Sequence[PageSpec]) -> HTMLResponse:
    """The page for a failure of ours: what to do, and nothing of what went wrong inside."""
    text = (
        "Something went wrong on our side while making this page; your input was not the "
        "problem. Try again in a moment, or go back and change the question."
    )
    return status_page(500, "Something went wrong", text, navigation)


def table_csv(page: Page) -> str:
    """The page's first table as CSV."""
    table = next((s for s in page.sections if s.columns), None)
    out = io.StringIO()
    writer = csv.writer(out)
    if table is not None:
        writer.writerow(table.columns)
        writer.writerows(table.rows)
    return out.getvalue()


def router(pages: Sequence[PageSpec]) -> APIRouter:
    """The routes of ``pages``: each page, its CSV and its JSON download."""
    routes = APIRouter(include_in_schema=False)
    by_name = {p.name: p for p in pages}

    def page_route(spec: PageSpec) -> Callable[[Request], HTMLResponse]:
        def handler(request: Request) -> HTMLResponse:
            return render(spec, request, pages)

        return handler

    def post_route(spec: PageSpec) -> Callable[[Request], Awaitable[HTMLResponse]]:
        async def handler(request: Request) -> HTMLResponse:
            form = await read_form(request)
            return await run_in_threadpool(render, spec, request, pages, form)

        return handler

    for spec in pages:
        routes.add_api_route(
            spec.path, page_route(spec), methods=["GET"], response_class=HTMLResponse
        )
        if spec.post:
            routes.add_api_route(
                spec.path, post_route(spec), methods=["POST"], response_class=HTMLResponse
            )

    @routes.get("/download/{name}.csv")
    def download_csv(request: Request, name: str) -> Response:
        spec = by_name.get(name)
        if spec is None:
            return Response("no such page", status_code=404, media_type="text/plain")
        try:
            page = spec.build(Query(request), request.app.state.store)
        except (CareerbenchError, ValueError) as exc:
            return Response(str(exc), status_code=422, media_type="text/plain")
        disposition = f'attachment; filename="{name}.csv"'
        return Response(
            table_csv(page), media_type="text/csv", headers={"Content-Disposition": disposition}
        )

    @routes.get("/download/{name}.json")
    def download_json(request: Request, name: str) -> Response:
        spec = by_name.get(name)
        if spec is None or spec.document is None:
            return Response("no such document", status_code=404, media_type="text/plain")
        try:
            body = spec.document(Query(request), request.app.state.store)
        except (CareerbenchError, ValueError) as exc:
            return Response(str(exc), status_code=422, media_type="text/plain")
        disposition = f'attachment; filename="{name}.json"'
        return JSONResponse(body, headers={"Content-Disposition": disposition})

    by_path = {p.path: p for p in pages}

    @routes.api_route("/{rest:page}", methods=METHODS)
    def not_here(request: Request, rest: str) -> HTMLResponse:
        spec = by_path.get(f"/{rest}")
        if spec is not None:
            allowed = "GET, HEAD, POST" if spec.post else "GET, HEAD"
            text = (
                f"The page {spec.title} is opened with a link or its form, not with a "
                f"{request.method} request. Open it from the list of pages above."
            )
            return status_page(405, "Not allowed", text, pages, Allow=allowed)
        text = "There is no page at this address. The pages are listed above."
        return status_page(404, "Page not found", text, pages)

    return routes
