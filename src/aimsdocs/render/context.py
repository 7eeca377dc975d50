"""What templates see. Values and small helpers only: decisions are made in the plan."""

from __future__ import annotations

from aimsdocs.plan import Plan, PlannedDocument, ReuseStrategy
from aimsdocs.plan.risks import lower_first, proper_names
from aimsdocs.profile.model import AiActCategory, AiRole, AiSystem, Person
from aimsdocs.render.escape import markdown_text
from aimsdocs.standards.loader import STANDARD_NAMES
from aimsdocs.support.cache import per_object

# One visible marker for everything the organisation must still supply; `aimsdocs build`
# counts them, so open items can never hide as silent filler.
TODO_MARKER = "[TO COMPLETE: {}]"
ROLE_LABELS = {
    "provider": "AI provider", "producer": "AI producer (developer)",
    "customer": "AI customer (user/deployer)", "partner": "AI partner", "subject": "AI subject",
}
STAGE_LABELS = {
    "inception": "inception", "design_development": "design and development",
    "verification_validation": "verification and validation", "deployment": "deployment",
    "operation": "operation and monitoring", "retirement": "retirement",
}
AI_ACT_LABELS = {
    "prohibited": "prohibited practice", "high_risk": "high-risk AI system",
    "limited_risk": "transparency obligations (limited risk)", "minimal_risk": "minimal risk",
    "gpai": "general-purpose AI model", "not_in_scope": "outside the AI Act",
}


class SystemList(list):
    """A document's own list of AI systems whose `in` looks the id up. Templates test one
    group against another (`provided | select("in", ai_act_high_risk)`), and with a thousand
    systems the list's own `in` compared a million pairs. Same answers: systems with
    different ids are never equal (see AiSystem.__eq__)."""

    def __init__(self, items=()) -> None:
        super().__init__(items)
        self._by_id: dict[str, list] | None = None

    def __contains__(self, item) -> bool:
        if not isinstance(item, AiSystem):
            return list.__contains__(self, item)
        if self._by_id is None:
            by_id: dict[str, list] = {}
            for system in self:
                if not isinstance(system, AiSystem):  # a template added something else
                    return list.__contains__(self, item)
                by_id.setdefault(system.id, []).append(system)
            self._by_id = by_id
        return any(s is item or s == item for s in self._by_id.get(item.id, ()))

    # A template may change its list (`do provided.append(s)`): the index is then made anew.
    # (Templates have no in-place operators; `x + y` makes a plain list.)
    def append(self, item) -> None:
        self._by_id = None
        super().append(item)

    def extend(self, items) -> None:
        self._by_id = None
        super().extend(items)

    def insert(self, index, item) -> None:
        self._by_id = None
        super().insert(index, item)

    def pop(self, index=-1):
        self._by_id = None
        return super().pop(index)

    def remove(self, item) -> None:
        self._by_id = None
        super().remove(item)

    def clear(self) -> None:
        self._by_id = None
        super().clear()

    def __setitem__(self, index, item) -> None:
        self._by_id = None
        super().__setitem__(index, item)

    def __delitem__(self, index) -> None:
        self._by_id = None
        super().__delitem__(index)


def todo(text: str) -> str:
    return TODO_MARKER.format(text)


class RoleHolders:
    """`roles.aims_owner.name` in templates; an unassigned optional role gives a TODO marker."""

    def __init__(self, plan: Plan):
        self._profile = plan.profile

    def __getattr__(self, role: str) -> Person:
        if role.startswith("_"):
            raise AttributeError(role)
        key = getattr(self._profile.roles, role)  # unknown role -> AttributeError -> Jinja error
        if key is None:
            label = role.replace("_", " ")
            return Person(key="unassigned", name=todo(f"name the {label}"), title=label.title())
        return self._profile.person(key)


def build_context(plan: Plan, document: PlannedDocument, control) -> dict:
    profile = plan.profile
    standards = plan.standards
    systems = profile.ai_systems

    def ref(item_id: str) -> str:
        item = standards.iso42001.get(item_id)
        return f"{item_id} {item.title}" if item else item_id

    def req(item_id: str):
        return plan.requirements[item_id]

    def docs(local_id: str) -> list[PlannedDocument]:
        found = plan.by_local_id(local_id)
        if not found:
            raise KeyError(f"no document with local id {local_id!r}")
        return found

    def docref(local_id: str, fallback: str | None = None) -> str:
        return plan.reference(local_id, fallback)

    def related(item_id: str, standard: str | None = None) -> list[str]:
        out = []
        for link in standards.crosswalk.related_links(item_id):
            if standard and link.target_standard != standard:
                continue
            out.append(f"{STANDARD_NAMES[link.target_standard]} {link.target}")
        return out

    def isms_excerpts(source, limit: int = 2) -> list[tuple[str, str]]:
        """Sections of a reused ISMS document that concern the items it was reused for
        (for --isms-mode include): headings or text that cite those ids."""
        if plan.isms is None:
            return []
        document = plan.isms.documents.get(source.doc_id)
        if document is None:
            return []
        needles = set()
        for _standard, item, _rel in source.via:
            bare = item.removeprefix("A.")
            needles |= {item, f"A {bare}", f"A{bare}", f"Clause {item}", f"clause {item}"}
        found = []
        for section in document.sections:
            haystack = f"{section.heading}\n{section.text}"
            if section.text.strip() and any(n in haystack for n in needles):
                text = " ".join(section.text.split())
                found.append((section.heading or document.title,
                              text[:1200] + (" …" if len(text) > 1200 else "")))
            if len(found) >= limit:
                break
        return found

    def person(key: str) -> Person:
        return profile.person(key)

    def system(system_id: str):
        return next(s for s in systems if s.id == system_id)

    def system_doc(local_id: str, system) -> PlannedDocument:
        """The record of a per-system series (e.g. REC-01) for one AI system."""
        found = _per_system_documents(plan).get((local_id, system.id))
        if found is None:
            raise KeyError(f"no document {local_id!r} for AI system {system.id!r}")
        return found

    risks = plan.risks
    names = proper_names(profile)
    groups = _system_groups(plan)  # copied below: each document gets its own lists
    return {
        "risks": risks,
        "risks_for": lambda system_id: plan.risks_by_system.get(system_id, []),
        "risk_threshold": profile.risk_method.acceptance_threshold,
        "likelihood_label": lambda n: profile.risk_method.likelihood[n - 1],
        "impact_label": lambda n: profile.risk_method.impact[n - 1],
        "org": profile,
        "organisation": profile.organisation,
        "name": markdown_text(profile.organisation.short_name),
        "legal_name": markdown_text(profile.organisation.legal_name),
        "doc": document,
        "control": control,
        "system": document.system,
        "systems": systems,
        "developed": SystemList(groups["developed"]),
        "provided": SystemList(groups["provided"]),
        "used": SystemList(groups["used"]),
        "third_party": SystemList(groups["third_party"]),
        "high_risk": SystemList(groups["high_risk"]),
        "develops_ai": bool(groups["developed"]),
        "provides_ai": bool(groups["provided"]),
        "uses_ai": bool(groups["used"]),
        "in_eu": profile.in_eu,
        "ai_act_high_risk": SystemList(groups["ai_act_high_risk"]),
        "ai_act_limited": SystemList(groups["ai_act_limited"]),
        "ai_roles": list(_ai_roles(plan)),
        "AiRole": AiRole,
        "roles": RoleHolders(plan),
        "people": profile.people,
        "plan": plan,
        "isms": plan.isms,
        "has_isms": plan.isms is not None,
        "iso27001_certified": profile.management_systems.iso27001.certified,
        "iso9001_certified": profile.management_systems.iso9001.certified,
        "Strategy": ReuseStrategy,
        "ref": ref,
        "req": req,
        "docs": docs,
        "docref": docref,
        "related": related,
        "person": person,
        "system_by_id": system,
        "system_doc": system_doc,
        "todo": todo,
        "isms_excerpts": isms_excerpts,
        "fact": plan.facts.get,
        "fact_text": plan.fact_text,
        "holder": plan.person_for,
        "isms_mode": "reference",
        "role_label": lambda r: ROLE_LABELS[str(getattr(r, "value", r))],
        "stage_label": lambda s: STAGE_LABELS[str(getattr(s, "value", s))],
        "ai_act_label": lambda c: AI_ACT_LABELS[str(getattr(c, "value", c))] if c
        else "not classified",
        "effective_date": profile.document_control.effective_date,
        "runs_isms": plan.runs_isms,
        "small": profile.small,
        "fit": plan.fit,
        "impact": plan.impact,
        "duties": plan.duties,
        "legal_register": plan.legal_register,
        "kind_label": lambda k: getattr(k, "label", str(k)),
        "in_combined": False,
        "lower_first": lambda text: lower_first(text, names),
        "demote": demote,
    }


@per_object
def _system_groups(plan: Plan) -> dict[str, list]:
    """The AI systems by kind, worked out once per plan: every document's context holds them,
    and with a thousand systems filtering anew for each of thousands of documents costs
    seconds."""
    systems = plan.profile.ai_systems
    return {
        "developed": [s for s in systems if s.develops],
        "provided": [s for s in systems if s.provides],
        "used": [s for s in systems if s.uses],
        "third_party": [s for s in systems if s.third_parties],
        "high_risk": [s for s in systems if s.risk_level.value == "high"],
        "ai_act_high_risk": [s for s in systems if s.eu_ai_act is AiActCategory.high_risk],
        "ai_act_limited": [s for s in systems if s.eu_ai_act is AiActCategory.limited_risk],
    }


@per_object
def _ai_roles(plan: Plan) -> list[AiRole]:
    """The organisation's AI roles, once per plan (they come from every AI system)."""
    return plan.profile.effective_ai_roles


@per_object
def _per_system_documents(plan: Plan) -> dict[tuple[str, str], PlannedDocument]:
    """(local id, AI system id) -> that system's record: a lookup, where filtering a series
    of a thousand records for each of a thousand systems was quadratic."""
    found: dict[tuple[str, str], PlannedDocument] = {}
    for document in plan.documents:
        if document.system is not None:
            found.setdefault((document.spec.local_id, document.system.id), document)
    return found


def demote(markdown: str, levels: int = 1) -> str:
    """Headings one level down, so a procedure can sit inside the combined procedure set."""
    out = []
    for line in markdown.splitlines():
        if line.startswith("#"):
            line = "#" * levels + line
        out.append(line)
    return "\n".join(out)
