"""The EU AI Act crosswalk: which articles each ISO/IEC 42001 Annex A control helps to meet.

Our own judgement, kept in mappings/crosswalk-eu-ai-act.yaml and validated here like the other
catalogues: every control and article id is checked, every problem reported with its line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from aimsdocs.errors import ProblemList
from aimsdocs.standards.catalogue import Catalogue
from aimsdocs.support.yamlio import load_yaml

AI_ACT_FILE = "crosswalk-eu-ai-act.yaml"
HOLDERS = ("provider", "deployer")
# Which AI systems an article concerns, by the organisation's classification of them.
SYSTEM_SCOPES = ("any", "high_risk", "transparency", "gpai")
_POINT = re.compile(r"^[1-8][a-e]?$")


@dataclass(frozen=True)
class Article:
    """One obligation of the Regulation, as aimsdocs cites it."""

    article: str  # "26", "50(3)-(4)"
    title: str
    holders: tuple[str, ...]
    systems: str  # one of SYSTEM_SCOPES
    applies_from: date
    annex_iii: tuple[str, ...] = ()  # limit to these Annex III points (empty: no limit)

    def cite(self) -> str:
        return f"EU AI Act Art. {self.article} ({self.title})"


@dataclass(frozen=True)
class AnnexIIIPoint:
    point: str  # "4a"
    area: str
    use: str

    def cite(self) -> str:
        number, letter = self.point[:1], self.point[1:]
        return f"Annex III point {number}" + (f"({letter})" if letter else "")


@dataclass(frozen=True)
class AiActLink:
    control: str
    articles: tuple[str, ...]
    note: str


@dataclass(frozen=True)
class AiActCrosswalk:
    regulation: str
    dates_note: str
    articles: dict[str, Article]
    annex_iii: dict[str, AnnexIIIPoint]
    links: dict[str, AiActLink]  # by control id

    def articles_for(self, control_id: str) -> list[Article]:
        link = self.links.get(control_id)
        return [self.articles[a] for a in link.articles] if link else []


def load_ai_act(folder: Path, iso42001: Catalogue, problems: ProblemList) -> AiActCrosswalk:
    file = folder / AI_ACT_FILE
    doc = load_yaml(file)
    data = doc.data if isinstance(doc.data, dict) else {}

    def where(*path):
        return dict(file=file, line=doc.line_of(path))

    for key in ("articles", "annex_iii", "links"):
        if not isinstance(data.get(key), list):
            problems.add(f"expected a list '{key}'", file=file, line=1)
            data[key] = []
    articles = _articles(data["articles"], where, problems)
    points = _points(data["annex_iii"], where, problems)
    for article in articles.values():
        for point in article.annex_iii:
            if point not in points:
                problems.add(f"article {article.article} names unknown Annex III point "
                             f"'{point}'", **where("articles"))
    links = _links(data["links"], articles, iso42001, where, problems)
    return AiActCrosswalk(str(data.get("regulation", "")), " ".join(
        str(data.get("dates_note", "")).split()), articles, points, links)


def _articles(rows: list, where, problems: ProblemList) -> dict[str, Article]:
    found: dict[str, Article] = {}
    for index, raw in enumerate(rows):
        at = where("articles", index)
        if not isinstance(raw, dict):
            problems.add("each article must be a mapping", **at)
            continue
        article_id = str(raw.get("article") or "").strip()
        holders = tuple(raw.get("holders") or ())
        systems = str(raw.get("systems") or "")
        applies = raw.get("applies_from")
        problem = (
            "missing 'article'" if not article_id else
            f"article {article_id} appears twice" if article_id in found else
            "missing 'title'" if not raw.get("title") else
            f"holders {list(holders)} must be drawn from {', '.join(HOLDERS)}"
            if not holders or set(holders) - set(HOLDERS) else
            f"systems '{systems}' is not one of {', '.join(SYSTEM_SCOPES)}"
            if systems not in SYSTEM_SCOPES else
            "applies_from must be a date (YYYY-MM-DD)" if not isinstance(applies, date) else None)
        if problem or not isinstance(applies, date):
            problems.add(problem or "applies_from must be a date", **at)
            continue
        found[article_id] = Article(article_id, " ".join(str(raw["title"]).split()), holders,
                                    systems, applies,
                                    tuple(str(p) for p in raw.get("annex_iii") or ()))
    return found


def _points(rows: list, where, problems: ProblemList) -> dict[str, AnnexIIIPoint]:
    found: dict[str, AnnexIIIPoint] = {}
    for index, raw in enumerate(rows):
        point = str(raw.get("point") or "") if isinstance(raw, dict) else ""
        if not _POINT.match(point) or point in found or not raw.get("area") or not raw.get("use"):
            problems.add("each Annex III entry needs a unique point (e.g. 4a), an area and a use",
                         **where("annex_iii", index))
            continue
        found[point] = AnnexIIIPoint(point, str(raw["area"]), " ".join(str(raw["use"]).split()))
    return found


def _links(rows: list, articles: dict[str, Article], iso42001: Catalogue, where,
           problems: ProblemList) -> dict[str, AiActLink]:
    found: dict[str, AiActLink] = {}
    controls = {c.id for c in iso42001.controls()}
    for index, raw in enumerate(rows):
        at = where("links", index)
        if not isinstance(raw, dict):
            problems.add("each link must be a mapping", **at)
            continue
        control = str(raw.get("control") or "")
        cited = tuple(str(a) for a in raw.get("articles") or ())
        unknown = [a for a in cited if a not in articles]
        problem = (
            f"'{control}' is not an ISO/IEC 42001 Annex A control" if control not in controls
            else f"{control} is linked twice" if control in found
            else "a link needs at least one article" if not cited
            else f"unknown article(s) {', '.join(unknown)}; declare them under 'articles'"
            if unknown else "a link needs a 'note' saying why" if not raw.get("note") else None)
        if problem:
            problems.add(problem, **at)
            continue
        found[control] = AiActLink(control, cited, " ".join(str(raw["note"]).split()))
    return found
