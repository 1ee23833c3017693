"""A small diagram of the ontology, drawn at build time as SVG by this module (no outside service, no script, no
inline style: presentation attributes only, so the page's Content-Security-Policy holds).

The classes that an object property links (its ``rdfs:domain`` or ``schema:domainIncludes`` to its ``rdfs:range`` or
``schema:rangeIncludes``, both ``kg:`` classes) sit on a circle in name order; each linked pair is one arrow, whose
``<title>`` names its properties; each class is a link to its section of the page (``#Scheme``).
"""

from __future__ import annotations

import math
from html import escape

WIDTH, HEIGHT = 940, 720   # the drawing, in SVG units: an ellipse, wider than high (the labels are)
RX, RY = 380, 300
CHAR = 6.6                 # the width of one character of the labels, at font-size 12


def half_width(name: str) -> float:
    return (len(name) * CHAR + 12) / 2


def border(x1: float, y1: float, x2: float, y2: float, name: str) -> tuple[float, float]:
    """Where the segment from (x1, y1) enters the box of ``name`` centred on (x2, y2)."""
    dx, dy = x2 - x1, y2 - y1
    hw, hh = half_width(name) + 2, 13
    cut = min(hw / abs(dx) if dx else math.inf, hh / abs(dy) if dy else math.inf, 1)
    return x2 - dx * cut, y2 - dy * cut


def edges(terms) -> dict[tuple[str, str], list[str]]:
    """{(domain class, range class): [properties]} between two different kg: classes (names without ``kg:``)."""
    out: dict[tuple[str, str], list[str]] = {}
    for t in terms:
        if t.kind != "object property":
            continue
        for d in (*t.domain, *t.domain_includes):
            for r in (*t.range, *t.range_includes):
                if d.startswith("kg:") and r.startswith("kg:") and d != r:
                    out.setdefault((d[3:], r[3:]), []).append(t.name)
    return dict(sorted(out.items()))


def svg(terms) -> str:
    links = edges(terms)
    names = sorted({n for pair in links for n in pair})
    if not names:
        return ""
    at = {n: (WIDTH / 2 + RX * math.cos(2 * math.pi * i / len(names) - math.pi / 2),
              HEIGHT / 2 + RY * math.sin(2 * math.pi * i / len(names) - math.pi / 2)) for i, n in enumerate(names)}
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
             f'role="group" aria-labelledby="diagram-title" class="diagram">',
             '<title id="diagram-title">kg92: classes and the object properties between them / classes et propriétés '
             'qui les relient</title>',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>',
             '<g stroke="#777" stroke-width="1" fill="none">']
    for (d, r), props in links.items():
        (x1, y1), (x2, y2) = at[d], at[r]
        ex, ey = border(x1, y1, x2, y2, r)          # the arrow head at the range's box
        label = escape(f"kg:{d} → " + ", ".join(f"kg:{p}" for p in props) + f" → kg:{r}")
        parts.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" marker-end="url(#arrow)">'
                     f'<title>{label}</title></line>')
    parts.append("</g>")
    for n in names:
        x, y = at[n]
        w = 2 * half_width(n)
        parts.append(f'<a href="#{n}"><rect x="{x - w / 2:.1f}" y="{y - 11:.1f}" width="{w:.1f}" height="22" rx="4" '
                     f'fill="#f4f7fb" stroke="#2a5d9f"/><text x="{x:.1f}" y="{y + 4:.1f}" text-anchor="middle" '
                     f'font-size="12" font-family="sans-serif" fill="#1a3a66">{escape(n)}</text></a>')
    parts.append("</svg>")
    return "\n".join(parts)
