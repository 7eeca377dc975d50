"""The AI addition to each extended ISMS process, in the organisation's own voice.

Where the plan extends an ISMS process, the AIMS says once, concretely, what changes for AI:
"AI releases of DocuScan also pass the change advisory meeting of MFS-STD-002 §7, with three
checks: …". The sentence is built from the plan's data (AI systems, roles, the ISMS facts) so
it names this organisation's systems, people and settings, never a generic crosswalk note.

Each addition is written twice from the same words: as the AIMS document states it (citing
the ISMS document and section) and as it would read inside the ISMS document itself when that
document is amended for AI (no citation of itself). The comparative crosswalk notes stay in
the gap report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aimsdocs.isms.facts import Fact, IsmsFacts
from aimsdocs.isms.phrases import frequency_words
from aimsdocs.profile.model import AiSystem, Profile


@dataclass(frozen=True)
class Addition:
    """What 42001 adds to one ISMS process for this organisation."""

    requirement: str
    text: str  # in an AIMS document: cites the ISMS document it extends
    amendment: str  # inside the ISMS document itself, when it is amended for AI
    source_doc: str  # the ISMS document extended
    topic: tuple[str, ...]  # words that locate the section it belongs to in that document


@dataclass
class Voice:
    """Builds the two wordings: `ref(...)` cites the ISMS document in AIMS text only."""

    profile: Profile
    facts: IsmsFacts
    source_doc: str
    inside: bool = False  # True: the words stand inside the ISMS document

    def ref(self, fact_key: str | None = None, prefix: str = " of ", inside: str = "") -> str:
        """' of MFS-PRO-003 §4' in the AIMS; `inside` (often nothing) in the ISMS document."""
        if self.inside:
            return inside
        fact = self.facts.get(fact_key) if fact_key else None
        if fact is not None and not fact.declared and fact.source.doc_id == self.source_doc:
            return prefix + fact.source.cite()
        return prefix + self.source_doc

    def fact(self, key: str) -> Fact | None:
        fact = self.facts.get(key)
        if fact is None:
            return None
        return fact

    def holder(self, role: str) -> str:
        key = getattr(self.profile.roles, role, None)
        if not key:
            return self.role_label(role)
        person = self.profile.person(key)
        return f"{person.name} ({person.title})"

    def role_label(self, role: str) -> str:
        return {"ai_risk_owner": "the AI risk owner", "aims_owner": "the AIMS owner",
                "legal_counsel": "Legal Counsel", "ai_ethics_contact": "the AI ethics contact",
                "top_management": "top management", "hr_lead": "the HR lead",
                "internal_audit_lead": "the internal audit lead",
                "data_protection_officer": "the Data Protection Officer",
                "information_security_manager": "the information security manager",
                "quality_manager": "the quality manager"}.get(role, role.replace("_", " "))

    def named(self, role: str) -> str:
        """A role the ISMS names, as a sentence says it: its holder, or 'the risk owner'."""
        from aimsdocs.plan import person_for

        person = person_for(self.profile, role)
        if person is not None:
            return person.name
        return role if role[:1].isupper() else f"the {role}"

    @property
    def name(self) -> str:
        return self.profile.organisation.short_name

    @property
    def systems(self) -> list[AiSystem]:
        return self.profile.ai_systems

    def names(self, systems: list[AiSystem]) -> str:
        return join([s.name for s in systems])


def count_words(n: int) -> str:
    words = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
    return words[n] if n < len(words) else str(n)


def join(items: list[str], last: str = "and") -> str:
    items = [i for i in items if i]
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + f" {last} " + items[-1]


# --- the additions, by requirement family ----------------------------------------------------

def _context(v: Voice) -> str:
    roles = join(sorted({r.value for s in v.systems for r in s.roles}))
    return (f"The context analysis{v.ref()} also covers {v.name}'s roles towards AI ({roles}), "
            f"the AI law that applies to {v.names(v.systems)}, and the people their outputs "
            "affect.")


def _interested_parties(v: Voice) -> str:
    affected = sorted({str(g) for s in v.systems for g in s.affected_groups})[:3]
    return (f"The register of interested parties{v.ref()} adds those affected by AI outputs "
            f"({join(affected)}) and the AI suppliers and regulators, with the needs the AIMS "
            "takes on.")


def _scope(v: Voice) -> str:
    return (f"The scope statement{v.ref()} names the AI systems in scope "
            f"({v.names(v.systems)}) and {v.name}'s roles for each.")


def _management_system(v: Voice) -> str:
    return (f"The AIMS runs inside the management system{v.ref()}: its processes are added to "
            "the same process map, owners, documents and reviews instead of a second system.")


def _leadership(v: Voice) -> str:
    return (f"{v.holder('top_management')} directs the AIMS through the leadership "
            f"arrangements of the ISMS{v.ref(prefix=', set out in ')}, adding the AI policy, "
            "AI objectives and AI risk decisions to what top management approves and reviews.")


def _policy(v: Voice) -> str:
    return (f"The AI policy sits under the policy framework{v.ref()}: it follows the same "
            "approval and review cycle and refers to the topic policies it relies on.")


def _roles(v: Voice) -> str:
    return (f"The roles and responsibilities{v.ref()} add the AIMS roles: AIMS owner "
            f"{v.holder('aims_owner')}, AI risk owner {v.holder('ai_risk_owner')} and one "
            f"owner per AI system ({v.names(v.systems)}).")


def _risk_assessment(v: Voice) -> str:
    scales = v.fact("risk_likelihood_scale")
    if scales is not None:
        impact = v.fact("risk_impact_scale")
        rated = (f"on the same {len(scales.value)}-point likelihood and "
                 f"{len(impact.value) if impact else len(scales.value)}-point impact scales"
                 f"{v.ref('risk_likelihood_scale')}")
    else:
        rated = f"with the method and scales{v.ref()}"
    return (f"AI risks are rated {rated}; each AI system is also assessed for the AI risk "
            "sources that fit it, such as unfair bias, loss of accuracy in operation, lack of "
            "transparency and misuse, and the result is recorded in the AI risk register.")


def _risk_treatment(v: Voice) -> str:
    tiers = v.fact("risk_tiers")
    threshold = v.fact("risk_threshold")
    if tiers is not None:
        acceptors = [f"{t.label.lower()} risks ({t.low}–{t.high}) by {v.named(t.accepted_by)}"
                     for t in tiers.value if t.accepted_by]
        accepted = (f"accepted by the holders named{v.ref('risk_tiers', ' in ')}: "
                    f"{join(acceptors)}")
    elif threshold is not None:
        accepted = (f"treated when they score above {threshold.value}{v.ref('risk_threshold')}"
                    " and accepted at the level the method names")
    else:
        accepted = f"accepted by the risk owners the method names{v.ref()}"
    return (f"AI risks are {accepted}; the AI Statement of Applicability records the ISO/IEC "
            "42001 Annex A controls chosen to treat them.")


def _objectives(v: Voice) -> str:
    objectives = v.profile.objectives
    example = objectives[0].objective[0].lower() + objectives[0].objective[1:] \
        if objectives else ""
    return (f"{v.name}'s {count_words(len(objectives))} AI objectives, such as to {example}, "
            "are set, resourced and "
            f"tracked with the objectives process{v.ref()} and reported with the other "
            "objectives.")


def _changes(v: Voice) -> str:
    board = v.fact("change_board")
    body = f"the {board.value}{v.ref('change_board')}" if board else f"the change process{v.ref()}"
    return (f"Changes to the AIMS and to AI systems go through {body}; a change to an AI "
            "system's data, model or intended use also triggers a new impact assessment.")


def _resources(v: Voice) -> str:
    return (f"AI resources (data sets, models, tools and computing) are planned with the other "
            f"resources{v.ref()} and recorded per AI system with an owner.")


def _competence(v: Voice) -> str:
    return (f"The competence requirements{v.ref()} gain AI competences for the AI risk owner, "
            "the system owners, developers and auditors, with evidence kept in the same "
            "training records.")


def _awareness(v: Voice) -> str:
    used = [s for s in v.systems if s.uses]
    who = f"users of {v.names(used)}" if used else "staff in AI roles"
    return (f"The awareness programme{v.ref()} adds the AI policy, the responsible-use rules "
            f"and how to report a concern about AI; {who} complete it before they get access.")


def _communication(v: Voice) -> str:
    return (f"The communication plan{v.ref()} adds what {v.name} tells users, affected people "
            "and authorities about its AI systems, and who speaks for it.")


def _documented_information(v: Voice) -> str:
    retention = v.fact("record_retention")
    library = v.fact("document_library")
    handled = ""
    if library is not None:
        handled += f", published in {library.value}"
    if retention is not None:
        handled += f" and kept {retention.text} by default{v.ref('record_retention', ' under ')}"
    return (f"AIMS documents and records are identified, approved and reviewed like every "
            f"controlled document{v.ref(prefix=' under ')}{handled}; the record retention "
            "schedule adds the AI records: impact assessments, model and data documentation, "
            "validation results and AI event logs.")


def _operation(v: Voice) -> str:
    return (f"Operational planning{v.ref()} adds the AI life-cycle gates and the controls "
            "chosen in the AI Statement of Applicability for each AI system.")


def _monitoring(v: Voice) -> str:
    return (f"The measurement programme{v.ref()} adds AI measures: model performance and "
            "drift per AI system, human overrides, AI incidents and concerns, and the results "
            "of the AI objectives.")


def _internal_audit(v: Voice) -> str:
    cycle = v.fact("internal_audit_cycle")
    programme = (f"the {cycle.value}-year audit programme{v.ref('internal_audit_cycle')}"
                 if cycle is not None and isinstance(cycle.value, int) and cycle.value > 1
                 else f"the audit programme{v.ref()}")
    return (f"The AIMS and its AI systems ({v.names(v.systems)}) join {programme}; each AIMS "
            "audit team includes an auditor with AI competence who is independent of the "
            "systems audited.")


def _management_review(v: Voice) -> str:
    frequency = v.fact("management_review_frequency")
    months = v.fact("management_review_months")
    when = ""
    if frequency is not None:
        when = f" ({frequency_words(frequency.value)}"
        when += f", in {months.text})" if months is not None else ")"
    return (f"The management reviews{when}{v.ref('management_review_frequency')} add the AIMS "
            "inputs: AI risk and impact assessment results, AI incidents and concerns, AI "
            "objective results and changes in AI law, and decide on AIMS changes.")


def _corrective_action(v: Voice) -> str:
    tool = v.fact("corrective_action_tool")
    owner = v.fact("corrective_action_owner")
    logged = (f"logged in the {tool.value}{v.ref('corrective_action_tool')}" if tool
              else f"handled{v.ref()}")
    check = f"; the {owner.value} checks their effectiveness as for every action" if owner \
        else ""
    return (f"Nonconformities of the AIMS and AI incidents are {logged}, marked as AIMS"
            f"{check}, and an AI system involved is re-assessed for risk before the action "
            "is closed.")


def _improvement(v: Voice) -> str:
    return (f"Improvement opportunities for the AIMS are collected and prioritised with the "
            f"others{v.ref()}.")


def _concerns(v: Voice) -> str:
    return (f"The reporting channel{v.ref()} also takes concerns about AI systems; "
            f"{v.holder('ai_ethics_contact')} follows them up.")


def _assets(v: Voice) -> str:
    return (f"The AI resources of {v.names(v.systems)} (data sets, models, tools and "
            "computing) are documented with an owner each, as other resources are"
            f"{v.ref(prefix=' under ')}.")


def _impact_records(v: Voice) -> str:
    retention = v.fact("record_retention")
    kept = f", kept {retention.text} by default" if retention else ""
    return (f"Impact assessment results are controlled records{v.ref(prefix=' under ')}{kept}.")


def _development(v: Voice) -> str:
    developed = [s for s in v.systems if s.develops]
    who = v.names(developed) or "AI systems"
    return (f"Development of {who} follows the development life cycle{v.ref()}, with AI "
            "stages added: data requirements, performance and bias testing against "
            "acceptance criteria, and technical documentation before release.")


def _deployment(v: Voice) -> str:
    board = v.fact("change_board")
    gate = f"the {board.value}{v.ref('change_board')}" if board else f"release{v.ref()}"
    return (f"AI releases also pass {gate} with three AI checks: validation results meet the "
            "release criteria, the impact assessment is current, and a return to the previous "
            "model is possible.")


def _policy_review(v: Voice) -> str:
    return (f"The AI policy is reviewed with the other policies{v.ref(prefix=' under ')}, at "
            "the planned interval and after a significant change in AI use or AI law.")


def _ai_operation(v: Voice) -> str:
    watched = [s for s in v.systems if s.develops or s.provides] or v.systems
    return (f"AI systems in operation are monitored as other services are"
            f"{v.ref(prefix=' under ')}; for {v.names(watched)} the monitoring adds model "
            "performance, drift and the rate of human overrides, each with an alert threshold.")


def _ai_logging(v: Voice) -> str:
    retention = v.fact("log_retention")
    kept = ""
    if retention is not None:
        where = "" if v.inside or retention.declared else f" ({retention.source.cite()})"
        kept = f"; they are kept as long as the other security logs{where}"
    return (f"AI systems log their inputs, outputs, model version and human overrides under "
            f"the logging rules{v.ref()}{kept}.")


def _data(v: Voice) -> str:
    return (f"Data for AI follows the classification and handling rules{v.ref()}; for AI "
            "the origin, quality and preparation of each data set are recorded as well.")


def _data_acquisition(v: Voice) -> str:
    return (f"Data acquired for AI from third parties is obtained under the supplier rules"
            f"{v.ref(prefix=' of ')}, with terms on its origin, its licence and whether it may "
            "be used to train or test models.")


def _data_preparation(v: Voice) -> str:
    return (f"Data prepared for AI is masked or minimised as the rules{v.ref(prefix=' of ')} "
            "require where it holds personal or confidential data, and each preparation step "
            "is recorded with the data set.")


def _data_provenance(v: Voice) -> str:
    return (f"The origin of each data set used for AI, its owner and its versions are recorded "
            f"with the other information assets{v.ref(prefix=' under ')}.")


def _suppliers(v: Voice) -> str:
    suppliers = sorted({t.name for s in v.systems for t in s.third_parties})
    notice = v.fact("supplier_incident_notification")
    within = f", incidents reported {notice.text}" if notice else ""
    named = f" ({join(suppliers)})" if suppliers else ""
    return (f"Suppliers of models, data and AI services{named} are classified and reviewed "
            f"like other suppliers{v.ref(prefix=' under ')}; their agreements add AI terms: "
            f"how {v.name}'s data may be used, notice of model changes{within}.")


def _incidents(v: Voice) -> str:
    severities = v.fact("incident_severities")
    scale = (f" on the severity scale {severities.text}{v.ref('incident_severities')}"
             if severities else f"{v.ref()}")
    return (f"AI incidents such as harmful or wrong outputs, unfair results or misuse are "
            f"handled{scale}; Legal Counsel decides on reports owed under AI law.")


def _external_reporting(v: Voice) -> str:
    return (f"External parties can report harm from {v.name}'s AI systems through the "
            f"reporting route{v.ref()}; such reports are handled as AI concerns.")


def _interested_information(v: Voice) -> str:
    return (f"The information given to customers and authorities{v.ref(prefix=' under ')} adds "
            "what they need "
            "to know about the AI systems: intended use, limits and how to report a problem.")


def _acceptable_use(v: Voice) -> str:
    used = [s for s in v.systems if s.uses]
    tools = v.names(used) or "AI tools"
    return (f"The acceptable-use rules{v.ref()} add rules for {tools}: the data that may be "
            "entered, the checks before an output is used, and the uses that are excluded.")


def _responsibilities(v: Voice) -> str:
    return (f"Responsibilities towards suppliers and customers{v.ref()} are extended to AI: "
            "who trains, validates, monitors and answers for each AI system is agreed in "
            "writing.")


def _customers(v: Voice) -> str:
    provided = [s for s in v.systems if s.provides]
    what = v.names(provided) or "AI output"
    return (f"Customer requirements{v.ref()} include the AI-specific ones for {what}: "
            "accuracy, transparency, data use and notification of incidents.")


FAMILIES: dict[str, tuple[Callable[[Voice], str], tuple[str, ...]]] = {
    "4": (_context, ("context",)), "4.1": (_context, ("context", "issues")),
    "4.2": (_interested_parties, ("interested parties", "stakeholders")),
    "4.3": (_scope, ("scope",)), "4.4": (_management_system, ("management system",)),
    "5": (_leadership, ("leadership",)), "5.1": (_leadership, ("leadership", "commitment")),
    "5.2": (_policy, ("policy", "framework")), "A.2.2": (_policy, ("policy",)),
    "A.2.3": (_policy, ("policy", "framework")), "A.2.4": (_policy_review, ("review",)),
    "5.3": (_roles, ("roles", "responsibilities")), "A.3.2": (_roles, ("roles",)),
    "6": (_risk_assessment, ("risk",)), "6.1": (_risk_assessment, ("risk",)),
    "6.1.1": (_risk_assessment, ("risk", "opportunities")),
    "6.1.2": (_risk_assessment, ("risk assessment", "analysis")),
    "8.2": (_risk_assessment, ("risk assessment", "analysis")),
    "6.1.3": (_risk_treatment, ("treatment", "acceptance")),
    "8.3": (_risk_treatment, ("treatment", "acceptance")),
    "6.2": (_objectives, ("objectives",)), "A.6.1.2": (_objectives, ("objectives",)),
    "A.9.3": (_objectives, ("objectives",)),
    "6.3": (_changes, ("change",)),
    "7": (_resources, ("resources",)), "7.1": (_resources, ("resources",)),
    "A.4.6": (_competence, ("competence", "training")),
    "7.2": (_competence, ("competence",)), "7.3": (_awareness, ("awareness",)),
    "7.4": (_communication, ("communication",)),
    "7.5": (_documented_information, ("documented information", "records")),
    "7.5.1": (_documented_information, ("documented information",)),
    "7.5.2": (_documented_information, ("creating", "changing", "approval")),
    "7.5.3": (_documented_information, ("records", "retention", "control")),
    "8": (_operation, ("operation",)), "8.1": (_operation, ("operation", "planning")),
    "9": (_monitoring, ("monitoring", "performance")),
    "9.1": (_monitoring, ("monitoring", "measurement")),
    "9.2": (_internal_audit, ("programme", "audit")),
    "9.2.1": (_internal_audit, ("audit",)), "9.2.2": (_internal_audit, ("programme",)),
    "9.3": (_management_review, ("inputs", "review")),
    "9.3.1": (_management_review, ("frequency", "review")),
    "9.3.2": (_management_review, ("inputs",)), "9.3.3": (_management_review, ("outputs",)),
    "10": (_corrective_action, ("corrective",)),
    "10.1": (_improvement, ("improvement",)),
    "10.2": (_corrective_action, ("corrective", "nonconformit")),
    "A.3.3": (_concerns, ("reporting", "report")),
    "A.4.2": (_assets, ("inventory", "assets")), "A.4.3": (_assets, ("inventory",)),
    "A.4.4": (_assets, ("tools", "inventory")), "A.4.5": (_assets, ("inventory",)),
    "A.5.3": (_impact_records, ("records",)),
    "A.6.1.3": (_development, ("life cycle", "development")),
    "A.6.2.2": (_development, ("requirements",)), "A.6.2.3": (_development, ("design",)),
    "A.6.2.4": (_development, ("testing",)), "A.6.2.7": (_development, ("documentation",)),
    "A.8.2": (_interested_information, ("documentation", "information")),
    "A.6.2.5": (_deployment, ("change", "release", "deployment")),
    "A.6.2.6": (_ai_operation, ("monitoring", "operation")),
    "A.6.2.8": (_ai_logging, ("logged", "logging")),
    "A.7.2": (_data, ("data",)), "A.7.3": (_data_acquisition, ("supplier", "data")),
    "A.7.5": (_data_provenance, ("inventory", "assets")),
    "A.7.6": (_data_preparation, ("masking", "data")),
    "A.8.3": (_external_reporting, ("reporting",)), "A.8.4": (_incidents, ("incident",)),
    "A.8.5": (_interested_information, ("information", "communication")),
    "A.9.2": (_acceptable_use, ("use", "acceptable")), "A.9.4": (_acceptable_use, ("use",)),
    "A.10.2": (_responsibilities, ("responsibilities", "agreements")),
    "A.10.3": (_suppliers, ("supplier", "agreements")),
    "A.10.4": (_customers, ("customer",)),
}


def addition_for(requirement_id: str, profile: Profile, facts: IsmsFacts,
                 source_doc: str) -> Addition | None:
    """The AI addition for an extended requirement, or None when none is written for it."""
    family = FAMILIES.get(requirement_id)
    if family is None:
        return None
    write, topic = family
    text = write(Voice(profile, facts, source_doc))
    inside = write(Voice(profile, facts, source_doc, inside=True))
    return Addition(requirement_id, text, inside, source_doc, topic)
