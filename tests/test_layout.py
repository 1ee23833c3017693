"""The package layout's rules, read from the source (ast), not from a running import: which room may import which.

    kg92/*.py   shared ground (settings, namespaces, formats, errors, quotes, store, urls, isolated): imports no room
    build/      the build steps                  never imports web/
    queries/    canned queries                   no Flask at all
    sparql/     runs SPARQL                      never flask's request
    web/        the Flask app and blueprints     the only place that defines routes
    cli/        the command line                 with web/, the only importers of kg92.web

and no import cycle between the rooms. Imports inside functions count: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "kg92"
ROOMS = ("build", "queries", "sparql", "web", "cli")
SHARED = "kg92"   # the room of the top-level modules
# No module over this many lines. Those over it when the tree was laid out (build.validate, sparql.pool, web.dataset,
# web.linkeddata, web.ui) have been split; KNOWN_LONG stays as the place to name an exception, and is empty.
LONG_LINES = 300
KNOWN_LONG: set[str] = set()
# Modules in an import cycle (lazy imports included): none since web/ui.py was split into modules named by what they
# serve (the shared helpers in leaf modules: web/i18n, web/labels, web/render, web/matrix). No module may join one.
KNOWN_CYCLE: set[str] = set()
# A view parses input, calls one domain function, renders: no view function (a function with a route decorator)
# longer than this many lines of body. Views that were longer when the rule came would be listed in KNOWN_LONG_VIEWS
# (only to shrink); there are none.
VIEW_LINES = 30
KNOWN_LONG_VIEWS: set[str] = set()
ROUTE_DECORATORS = {"route", "get", "post", "put", "patch", "delete", "errorhandler", "before_app_request",
                    "before_request", "after_request", "after_app_request", "app_errorhandler"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}
TREES = {name: ast.parse(path.read_text("utf-8"), str(path)) for name, path in MODULES.items()}


def room(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ROOMS else SHARED


def imports(name: str) -> set[str]:
    """Every module ``name`` imports (absolute names; ``from a import b`` is a.b when that is a module)."""
    is_package = MODULES[name].name == "__init__.py"
    found = set()
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = name.split(".")[: len(name.split(".")) - node.level + (1 if is_package else 0)]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:
                found.add(f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base)
    return found


def internal_imports(name: str) -> set[str]:
    return {m for m in imports(name) if m == "kg92" or m.startswith("kg92.")}


def in_room(r: str) -> list[str]:
    return [m for m in MODULES if room(m) == r and m != "kg92"]


def test_every_room_is_a_package_with_a_docstring():
    for r in ROOMS:
        doc = ast.get_docstring(TREES[f"kg92.{r}"])
        assert doc and doc.strip(), f"kg92/{r}/__init__.py says what lives there"


def test_build_never_imports_web():
    offenders = {(m, i) for m in in_room("build") for i in internal_imports(m) if room(i) == "web"}
    assert offenders == set()


@pytest.mark.parametrize("r", ["sparql", "queries"])
def test_sparql_and_queries_never_touch_the_request(r):
    offenders = set()
    for m in in_room(r):
        for node in ast.walk(TREES[m]):
            if isinstance(node, ast.ImportFrom) and node.module == "flask" and any(a.name == "request" for a in node.names):
                offenders.add(m)
            if isinstance(node, ast.Attribute) and node.attr == "request" and isinstance(node.value, ast.Name) \
                    and node.value.id == "flask":
                offenders.add(m)
    assert offenders == set()


def test_queries_do_not_use_flask_at_all():
    offenders = {(m, i) for m in in_room("queries") for i in imports(m) if i.split(".")[0] == "flask"}
    assert offenders == set()


def defines_routes(name: str) -> bool:
    for node in ast.walk(TREES[name]):
        if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", None)) == "Blueprint":
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for dec in node.decorator_list:
                target = dec.func if isinstance(dec, ast.Call) else dec
                if isinstance(target, ast.Attribute) and target.attr in ROUTE_DECORATORS:
                    return True
    return False


def test_only_web_defines_routes():
    routed = {m for m in MODULES if defines_routes(m)}
    assert routed and {room(m) for m in routed} == {"web"}


def test_nothing_below_imports_web():
    offenders = {(m, i) for m in MODULES if room(m) not in ("web", "cli") for i in internal_imports(m) if room(i) == "web"}
    assert offenders == set()


def test_blueprints_reach_resources_through_the_accessor_not_the_factory():
    factory_users = {m for m in in_room("web") for i in internal_imports(m) if i == "kg92.web.app"}
    assert factory_users == set()


def room_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {r: set() for r in (SHARED, *ROOMS)}
    for m in MODULES:
        graph[room(m)].update(room(i) for i in internal_imports(m) if i != "kg92" and room(i) != room(m))
    return graph


def test_the_rooms_depend_on_each_other_without_a_cycle():
    graph = room_graph()
    assert graph == {SHARED: set(), "build": {SHARED, "queries"}, "queries": {SHARED}, "sparql": {SHARED},
                     "web": {SHARED, "build", "queries", "sparql"},
                     "cli": {SHARED, "build", "queries", "sparql", "web"}}   # cli → sparql: `kg92 publish`
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"import cycle between rooms: {' → '.join(path + (node,))}"
        if node not in done:
            for nxt in graph[node]:
                visit(nxt, path + (node,))
            done.add(node)

    for r in graph:
        visit(r, ())


def test_no_new_long_module():
    long = {m for m, p in MODULES.items() if len(p.read_text("utf-8").splitlines()) > LONG_LINES}
    assert long <= KNOWN_LONG, f"modules over {LONG_LINES} lines: {sorted(long - KNOWN_LONG)}"


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph[start])
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(graph[node])
    return seen


def test_no_new_import_cycle_between_modules():
    graph = {m: {i for i in internal_imports(m) if i in MODULES and i not in (m, "kg92")} for m in MODULES}
    in_cycle = {m for m in MODULES if m in reachable(graph, m)}
    assert in_cycle <= KNOWN_CYCLE, f"modules in an import cycle: {sorted(in_cycle - KNOWN_CYCLE)}"


VIEW_DECORATORS = {"route", "get", "post", "put", "patch", "delete"}


def views() -> dict[str, ast.FunctionDef]:
    """``module.function``: every view (a function with a route decorator) of the package."""
    found = {}
    for m in MODULES:
        for node in ast.walk(TREES[m]):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and any(
                    isinstance(t := (d.func if isinstance(d, ast.Call) else d), ast.Attribute) and t.attr in VIEW_DECORATORS
                    for d in node.decorator_list):
                found[f"{m}.{node.name}"] = node
    return found


def body_lines(node: ast.FunctionDef) -> int:
    """Lines from the first statement after the docstring to the function's last line."""
    body = node.body[1:] if ast.get_docstring(node) and len(node.body) > 1 else node.body
    return node.end_lineno - body[0].lineno + 1


def test_no_new_long_view():
    long = {name: n for name, node in views().items() if (n := body_lines(node)) > VIEW_LINES}
    assert set(long) <= KNOWN_LONG_VIEWS, f"views over {VIEW_LINES} lines: {dict(sorted(long.items()))}"


def test_the_view_rule_sees_the_views():
    # the rule measures something: it finds the views of the site's pages, and their length
    found = views()
    assert {"kg92.web.editor.editor", "kg92.web.home.home", "kg92.web.search.search_page",
            "kg92.web.validation.validation", "kg92.web.compare.stances"} <= set(found)
    assert body_lines(found["kg92.web.compare.stances"]) == 4
    assert body_lines(found["kg92.web.home.home"]) == 7
