"""Registry of canned queries: queries/*.rq with a `#+` header, parsed and checked once at start-up.

Header (one `#+ key: value` per line, before the SPARQL; the file stays valid SPARQL since `#` starts a comment):

    #+ title_fr: Dispositifs cités par tous les groupes
    #+ title_en: Schemes cited by every candidate group
    #+ description_fr: …
    #+ description_en: …
    #+ param: group iri list=group default=https://w3id.org/kg92/id/group/groupe-001 — the candidate group
    #+ example: group=https://w3id.org/kg92/id/group/colombes-2&theme=https://w3id.org/kg92/id/theme/insertion
    (the example is a URL query string: pairs separated by &, values percent-encoded where needed)
    #+ binding: values
    (optional: how the parameters are bound, `substitutions` (the default) or `values`; see below)
    #+ paging: 2000
    (optional: the query answers one page of rows; two integer parameters are added, ``limit`` (default: the
    header's number, at most MAX_LIMIT) and ``offset`` (default 0), written as ``LIMIT n OFFSET m`` after the
    query's ORDER BY, as integers printed by Python, never raw text)

Parameter types: iri, string, integer, date, boolean (true/false, also 1/0), lang (the language of the labels a query
returns: one of LANGS, `fr` or `en`; the web pages pass the interface language); `list=KIND` restricts an iri to the members of a controlled list
(group, theme, scheme, ask, actor, document). A parameter NAME is the SPARQL variable ?NAME; its value is a typed term,
never raw text, bound with pyoxigraph `substitutions` or, with `#+ binding: values`, in one inline VALUES block at
the top of the WHERE group (binding.values_text): the engine's plan differs, so the binding is chosen per query by
measurement at scale (bench/scale.py prints both). A parameter without a value and without a default stays unbound
(the query must cope, e.g. `COALESCE(?x = ?param, true)`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qsl

import pyoxigraph as ox

from kg92.lexer import iri_is_readable
from kg92.queries.binding import BINDINGS, LISTS, TYPES, Param, ParamError, bind_value, values_text

KEYS = {"title_fr", "title_en", "description_fr", "description_en", "param", "example", "tags", "binding", "paging"}
PAGING = ("limit", "offset")    # the parameters a `#+ paging:` header adds (never variables of the query)
MAX_LIMIT = 100_000
PAGE_BOUNDS = {"limit": (1, MAX_LIMIT), "offset": (0, 10**9)}
REQUIRED = ("title_fr", "title_en", "description_fr", "description_en")
PARAM_RE = re.compile(r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)\s+(?P<type>\w+)(?P<opts>(?:\s+\w+=\S+)*)\s*(?:—|--)\s*(?P<help>.+)$")


class QueryFileError(Exception):
    """A canned query file is malformed: start-up stops, naming the file."""


@dataclass(frozen=True)
class CannedQuery:
    name: str
    path: Path
    sparql: str
    meta: dict[str, str]
    params: tuple[Param, ...] = field(default_factory=tuple)
    form: str = "SELECT"      # SELECT | ASK | CONSTRUCT | DESCRIBE
    binding: str = "substitutions"   # BINDINGS: how the parameters reach the engine (#+ binding:)

    def title(self, lang: str) -> str:
        return self.meta.get(f"title_{lang}") or self.meta["title_fr"]

    def description(self, lang: str) -> str:
        return self.meta.get(f"description_{lang}") or self.meta["description_fr"]

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise KeyError(f"unknown parameter {name!r}; parameters: {', '.join(p.name for p in self.params) or 'none'}")

    def example(self) -> dict[str, str]:
        return dict(parse_qsl(self.meta.get("example", ""), keep_blank_values=True))

    def to_json(self) -> dict:
        return {"name": self.name, "form": self.form,
                "title": {"fr": self.meta["title_fr"], "en": self.meta["title_en"]},
                "description": {"fr": self.meta["description_fr"], "en": self.meta["description_en"]},
                "params": [{"name": p.name, "type": p.type, "list": p.list, "default": p.default, "help": p.help}
                           for p in self.params],
                "example": self.example(), "tags": self.meta.get("tags", "").split(), "sparql": self.sparql}


def parse_file(path: Path) -> CannedQuery:
    text = path.read_text(encoding="utf-8")
    meta: dict[str, str] = {}
    params: list[Param] = []
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.startswith("#+"):
            continue
        key, sep, value = line[2:].partition(":")
        key, value = key.strip(), value.strip()
        if not sep or key not in KEYS:
            raise QueryFileError(f"{path}:{lineno}: unknown or malformed header line {line!r} (keys: {', '.join(sorted(KEYS))})")
        if key == "param":
            params.append(_param(path, lineno, value))
        elif key in meta:
            raise QueryFileError(f"{path}:{lineno}: header key {key!r} given twice")
        else:
            meta[key] = value
    missing = [k for k in REQUIRED if not meta.get(k)] + (["example"] if any(p.type != "lang" for p in params) and not meta.get("example") else [])
    if missing:
        raise QueryFileError(f"{path}: missing header key(s): {', '.join(missing)}")
    form = _check_sparql(path, text)
    if any(p.name in PAGING for p in params):
        raise QueryFileError(f"{path}: {' and '.join(PAGING)} are the paging parameters: declare them with `#+ paging: N`")
    for p in params:
        if not re.search(rf"[?$]{p.name}\b", text):
            raise QueryFileError(f"{path}: parameter {p.name!r} is not a variable of the query")
    binding = meta.get("binding", "substitutions")
    if binding not in BINDINGS:
        raise QueryFileError(f"{path}: binding {binding!r} is not one of {', '.join(BINDINGS)}")
    if "paging" in meta:
        if not re.fullmatch(r"\d{1,6}", meta["paging"]) or not 0 < int(meta["paging"]) <= MAX_LIMIT:
            raise QueryFileError(f"{path}: paging {meta['paging']!r} is not a page size between 1 and {MAX_LIMIT}")
        params += [Param("limit", "integer", f"nombre de lignes au plus (≤ {MAX_LIMIT}) / at most this many rows "
                         f"(≤ {MAX_LIMIT})", meta["paging"]),
                   Param("offset", "integer", "lignes à sauter / rows to skip", "0")]
    query = CannedQuery(path.stem, path, text, meta, tuple(params), form, binding)
    variables = [p for p in params if p.name not in PAGING]
    try:
        example = {ox.Variable(k): bind_value(query.param(k), v, lists=None) for k, v in query.example().items()
                   if v and k not in PAGING}
    except (KeyError, ParamError) as exc:
        raise QueryFileError(f"{path}: bad example: {exc}") from exc
    dummies = {"iri": "https://w3id.org/kg92/id/x", "string": "x", "integer": "1", "date": "2000-01-01", "boolean": "true", "lang": "en"}
    every = {ox.Variable(p.name): bind_value(p, dummies[p.type], lists=None) for p in variables}
    try:  # pyoxigraph only substitutes variables of the projection: check every parameter, and the example
        ox.Store().query(text, substitutions=every)
        ox.Store().query(text, substitutions=example)
    except RuntimeError as exc:
        raise QueryFileError(f"{path}: the example's parameters cannot be bound ({exc}); project every parameter") from exc
    if variables and binding == "values":   # a query that BINDs a parameter itself can only take substitutions
        try:
            ox.Store().query(values_text(text, every))
        except (ValueError, SyntaxError, RuntimeError) as exc:
            raise QueryFileError(f"{path}: the parameters cannot be bound in a VALUES block ({exc})") from exc
    return query


def _param(path: Path, lineno: int, value: str) -> Param:
    m = PARAM_RE.match(value)
    if not m or m["type"] not in TYPES:
        raise QueryFileError(f"{path}:{lineno}: malformed param {value!r}: expected 'NAME TYPE [default=V] [list=K] — help' with TYPE in {TYPES}")
    opts = dict(o.split("=", 1) for o in m["opts"].split())
    if set(opts) - {"default", "list"} or (opts.get("list") and opts["list"] not in LISTS):
        raise QueryFileError(f"{path}:{lineno}: unknown option in {value!r} (default=…, list= one of {', '.join(LISTS)})")
    return Param(m["name"], m["type"], m["help"].strip(), opts.get("default"), opts.get("list"))


def _check_sparql(path: Path, text: str) -> str:
    try:
        result = ox.Store().query(text)   # parses and runs on an empty in-memory store
    except SyntaxError as exc:
        raise QueryFileError(f"{path}: SPARQL syntax error: {exc}") from exc
    if isinstance(result, ox.QueryBoolean):
        return "ASK"
    if isinstance(result, ox.QueryTriples):
        return "CONSTRUCT"
    return "SELECT"


class Registry:
    def __init__(self, queries: dict[str, CannedQuery]):
        self.queries = queries

    @classmethod
    def load(cls, folder: Path) -> Registry:
        files = sorted(folder.glob("*.rq"))
        return cls({q.name: q for q in map(parse_file, files)})

    def get(self, name: str) -> CannedQuery | None:
        return self.queries.get(name)

    def bindings(self, query: CannedQuery, given: dict[str, str], lists: dict[str, set[str]]) -> dict[ox.Variable, object]:
        unknown = set(given) - {p.name for p in query.params}
        if unknown:
            raise ParamError(f"unknown parameter(s): {', '.join(sorted(unknown))}")
        out = {}
        for p in query.params:
            raw = given.get(p.name) or p.default
            if raw:
                out[ox.Variable(p.name)] = bind_value(p, raw, lists)
        for name, (low, high) in PAGE_BOUNDS.items():
            term = out.get(ox.Variable(name))
            if term is not None and not low <= int(term.value) <= high:
                raise ParamError(f"{name}: {term.value} is not between {low} and {high}")
        return out

    def prepare(self, query: CannedQuery, given: dict[str, str], lists: dict[str, set[str]] | None,
                binding: str | None = None) -> tuple[str, dict[ox.Variable, object]]:
        """(text, substitutions) to run ``query`` with: its own text and the typed terms as substitutions, or the
        text with the terms in a VALUES block and no substitutions; ``binding`` overrides the query's header
        (the benchmark and the tests run both). ParamError as for :meth:`bindings`."""
        return self.bound(query, self.bindings(query, given, lists), binding)

    @staticmethod
    def bound(query: CannedQuery, terms: dict[ox.Variable, object],
              binding: str | None = None) -> tuple[str, dict[ox.Variable, object]]:
        """(text, substitutions) for already typed ``terms`` (:meth:`bindings`), bound the way the query's header
        says (or ``binding``): what the web pages, the API and the benchmarks run."""
        terms, page = paged(terms)
        if (binding or query.binding) == "values":
            # an IRI that the endpoint's SERVICE check could not read safely in a text (lexer.iri_is_readable) is
            # substituted instead: the same rows (tests/queries/test_binding.py), never a refusal
            if all(iri_is_readable(t.value) for t in terms.values() if isinstance(t, ox.NamedNode)):
                return values_text(query.sparql, terms) + page, {}
        return query.sparql + page, terms


def paged(terms: dict[ox.Variable, object]) -> tuple[dict[ox.Variable, object], str]:
    """(the other terms, ``"\nLIMIT n OFFSET m"`` or ""): the paging parameters out of ``terms`` (already checked
    integers, :meth:`Registry.bindings`), as the text that ends a paged query."""
    page = {name: terms.get(ox.Variable(name)) for name in PAGING}
    if page["limit"] is None:
        return terms, ""
    rest = {k: v for k, v in terms.items() if k.value not in PAGING}
    offset = int(page["offset"].value) if page["offset"] is not None else 0
    return rest, f"\nLIMIT {int(page['limit'].value)} OFFSET {offset}\n"
