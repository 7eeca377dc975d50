"""Infer coverage from what a title or heading is about: the weakest evidence, a candidate.

The keywords are aimsdocs' own, one topic per ISO/IEC 27001:2022 clause or Annex A control
(plus the ISO 9001 clause of the same name where the harmonized structure gives one). They
are kept narrow on purpose: every policy has "Purpose and scope" and "Records" headings, which
say nothing about ISMS scope (4.3) or document control (7.5).

Generic topics ("Roles and responsibilities", "Communication", "Objectives", "Training",
"Resources") appear as headings inside almost every topic policy; they count only when the
document's title is about them, never from a heading inside a policy about something else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Topic:
    name: str
    pattern: re.Pattern
    iso27001: tuple[str, ...]
    iso9001: tuple[str, ...] = ()
    generic: bool = False  # counts from the title only


def _topic(name: str, pattern: str, iso27001: tuple[str, ...], iso9001: tuple[str, ...] = (),
           generic: bool = False) -> Topic:
    return Topic(name, re.compile(pattern, re.IGNORECASE), iso27001, iso9001, generic)


TOPICS: tuple[Topic, ...] = (
    # Management-system clauses ------------------------------------------------------------
    _topic("context of the organisation",
           r"\bcontext of the organi[sz]ation\b|\borgani[sz]ational context\b"
           r"|\binternal and external issues\b|kontext der organisation", ("4.1",), ("4.1",)),
    _topic("interested parties", r"\binterested parties\b|\bstakeholder (?:register|analysis)\b"
           r"|interessierte parteien", ("4.2",), ("4.2",)),
    _topic("scope",
           r"\b(?:isms|qms|management system) scope\b|\bscope of the (?:isms|qms|"
           r"information security management system|quality management system)\b"
           r"|^scope statement\b|geltungsbereich des isms", ("4.3",), ("4.3",)),
    _topic("management system",
           r"\binformation security management system\b|\bisms (?:manual|framework|handbook)\b"
           r"|\b(?:information )?security program(?:me)?\b|isms-handbuch", ("4.4",), ("4.4",)),
    _topic("leadership", r"\bleadership\b|\bmanagement commitment\b|\btop management\b"
           r"|führung", ("5.1",), ("5.1",)),
    _topic("information security policy", r"\binformation security polic(?:y|ies)\b"
           r"|leitlinie zur informationssicherheit|informationssicherheitsleitlinie",
           ("5.2", "A.5.1")),
    _topic("roles and responsibilities",
           r"\broles,? (?:and )?responsibilities\b|\bresponsibilities and authorities\b"
           r"|rollen und verantwortlichkeiten", ("5.3", "A.5.2"), ("5.3",), generic=True),
    _topic("risk management", r"\brisk management\b|risikomanagement", ("6.1",), ("6.1",)),
    # 9001 has no 6.1.2/8.2 risk assessment; its 6.1 (risks and opportunities) is the match.
    _topic("risk assessment", r"\brisk (?:assessments?|identification|analysis|evaluation)\b"
           r"|risikobeurteilung|risikoanalyse", ("6.1.2", "8.2"), ("6.1",)),
    _topic("risk treatment", r"\brisk treatment\b|risikobehandlung", ("6.1.3", "8.3"),
           ("6.1",)),
    _topic("security objectives",
           r"\b(?:security|quality|isms|qms|management system) objectives\b"
           r"|sicherheitsziele", ("6.2",), ("6.2",)),
    _topic("objectives", r"^objectives\b|^ziele\b", ("6.2",), ("6.2",), generic=True),
    _topic("planning of changes", r"\bplanning of changes\b", ("6.3",), ("6.2",)),
    _topic("resources", r"^resources\b|^ressourcen\b", ("7.1",), ("7.1",), generic=True),
    _topic("competence", r"\bcompetenc[ey]\b|kompetenz", ("7.2",), ("7.2",)),
    _topic("training", r"\btraining\b|\bschulung", ("7.2",), ("7.2",), generic=True),
    _topic("awareness", r"\bawareness\b|sensibilisierung", ("7.3", "A.6.3"), ("7.3",)),
    _topic("communication", r"\bcommunications?\b(?! (?:security|network))|kommunikation",
           ("7.4",), ("7.4",), generic=True),
    _topic("document control",
           r"\bdocument(?:ation)? (?:control|management)\b|\bdocumented information\b"
           r"|\bcontrol of (?:documents|records)\b|\brecords? (?:management|retention|keeping)\b"
           r"|\bpolicy management\b|lenkung von dokumenten|dokumentenlenkung",
           ("7.5",), ("7.5",)),
    _topic("operational planning", r"\boperational planning\b", ("8.1",), ("8.1",)),
    _topic("monitoring and measurement",
           r"\b(?:monitoring|measurement)(?:,)? (?:and )?(?:measurement|evaluation)\b"
           r"|\bmetrics\b|\bkpis?\b|\bperformance evaluation\b|kennzahlen",
           ("9.1",), ("9.1",)),
    _topic("internal audit", r"\binternal audits?\b|internes audit|interne audits",
           ("9.2",), ("9.2",)),
    _topic("management review", r"\bmanagement reviews?\b|managementbewertung",
           ("9.3",), ("9.3",)),
    # 27001:2022 10.1 is continual improvement; in 9001:2015 it is 10.3.
    _topic("continual improvement", r"\bcontinu(?:al|ous) improvement\b"
           r"|kontinuierliche verbesserung", ("10.1",), ("10.3",)),
    _topic("corrective action", r"\bcorrective actions?\b|\bnon-?conformit(?:y|ies)\b"
           r"|\bkorrekturmaßnahme|\bnichtkonformit", ("10.2",), ("10.2",)),
    # Annex A ------------------------------------------------------------------------------
    _topic("segregation of duties", r"\b(?:segregation|separation) of duties\b"
           r"|funktionstrennung", ("A.5.3",)),
    _topic("management responsibilities", r"\bmanagement responsibilit", ("A.5.4",)),
    _topic("contact with authorities", r"\bcontact with (?:the )?authorities\b"
           r"|\blaw enforcement\b|\bregulator(?:s|y)? (?:contact|notification)", ("A.5.5",)),
    _topic("special interest groups", r"\bspecial interest groups?\b|\bsecurity forums?\b",
           ("A.5.6",)),
    _topic("threat intelligence", r"\bthreat intelligence\b|\bthreat landscape\b", ("A.5.7",)),
    _topic("project management", r"\bproject management\b|projektmanagement", ("A.5.8",)),
    _topic("asset inventory", r"\basset (?:inventory|register|management)\b"
           r"|\binventory of (?:information and other )?assets\b|inventarverzeichnis",
           ("A.5.9",)),
    _topic("acceptable use", r"\bacceptable use\b|zulässige nutzung", ("A.5.10",)),
    _topic("return of assets", r"\breturn(?:ing)? (?:of )?(?:company )?(?:assets|equipment)\b",
           ("A.5.11",)),
    _topic("classification", r"\b(?:data|information) classification\b"
           r"|\bclassification of (?:data|information)\b|klassifizierung", ("A.5.12",)),
    _topic("labelling", r"\blabel(?:l)?ing\b|kennzeichnung", ("A.5.13",)),
    _topic("information transfer", r"\b(?:information|data) transfer\b"
           r"|\btransfer of (?:information|data)\b|informationsübertragung", ("A.5.14",)),
    _topic("access control", r"\baccess control\b|zugriffskontroll|zugangskontroll",
           ("A.5.15",)),
    _topic("identity management", r"\bidentity management\b|\bunique user id",
           ("A.5.16",)),
    _topic("authentication information", r"\bpasswords?\b|\bpassphrases?\b|\bpasswort"
           r"|\bauthentication information\b", ("A.5.17",)),
    _topic("access rights", r"\baccess (?:rights|reviews?|provisioning|authori[sz]ation)\b"
           r"|\buser access management\b|zugriffsrechte", ("A.5.18",)),
    _topic("supplier", r"\bsuppliers?\b|\bvendors?\b|\bthird[- ]part(?:y|ies)\b"
           r"|lieferanten|dienstleister", ("A.5.19",), ("8.4",)),
    _topic("supply chain", r"\bsupply chain\b|lieferkette", ("A.5.21",)),
    _topic("cloud services", r"\bcloud\b", ("A.5.23",)),
    _topic("incident", r"\bincidents?\b|\bsicherheitsvorf(?:a|ä)ll", ("A.5.24", "A.5.26")),
    _topic("lessons learned", r"\blessons learned\b|\bpost[- ]incident\b", ("A.5.27",)),
    _topic("evidence collection", r"\b(?:collection of|collecting) evidence\b"
           r"|\bevidence collection\b|\bforensics?\b|\bchain of custody\b", ("A.5.28",)),
    _topic("business continuity", r"\bbusiness continuity\b|\bcontinuity plan"
           r"|notfallmanagement|betriebskontinuität", ("A.5.29",)),
    _topic("disaster recovery", r"\bdisaster recovery\b|\bict readiness\b|\bwiederanlauf",
           ("A.5.30",)),
    _topic("legal requirements", r"\blegal,? (?:statutory|and regulatory)|\bregulatory "
           r"(?:requirements|compliance)\b|\bcontractual requirements\b|\blegal register\b",
           ("A.5.31",)),
    _topic("intellectual property", r"\bintellectual property\b|\bsoftware licen[cs]", ("A.5.32",)),
    _topic("protection of records", r"\bprotection of records\b|\b(?:data|record) retention\b",
           ("A.5.33",)),
    _topic("privacy", r"\bprivacy\b|\bpersonal data\b|\bdata protection\b|datenschutz"
           r"|\bpii\b", ("A.5.34",)),
    _topic("independent review", r"\bindependent (?:review|audit)s?\b|\bexternal audits?\b",
           ("A.5.35",)),
    _topic("compliance with policies", r"\bcompliance (?:monitoring|reviews?|audits?)\b"
           r"|\bpolicy compliance\b|\bcompliance with (?:security )?policies\b", ("A.5.36",)),
    _topic("operating procedures", r"\boperating procedures\b|\brunbooks?\b", ("A.5.37",)),
    _topic("screening", r"\bscreening\b|\bbackground (?:checks?|verification)\b", ("A.6.1",)),
    _topic("terms of employment", r"\bterms (?:and conditions )?of employment\b"
           r"|\bonboarding\b", ("A.6.2",)),
    _topic("disciplinary process", r"\bdisciplinary\b|\bsanctions?\b", ("A.6.4",)),
    _topic("termination", r"\btermination\b|\boffboarding\b|\bleavers?\b", ("A.6.5",)),
    _topic("confidentiality agreements", r"\bnon[- ]disclosure\b|\bconfidentiality "
           r"agreements?\b|\bndas?\b", ("A.6.6",)),
    _topic("remote working", r"\bremote work(?:ing)?\b|\bteleworking\b|\bworking from home\b"
           r"|\bvpns?\b|\bvirtual private network", ("A.6.7",)),
    _topic("event reporting", r"\breport(?:ing)?\s+(?:an?\s+|security\s+|suspicious\s+)?"
           r"(?:events?|incidents?|suspicious)|\b(?:incident|event) reporting\b", ("A.6.8",)),
    _topic("physical security", r"\bphysical (?:security|access|entry)\b|\bfacilit(?:y|ies) "
           r"security\b", ("A.7.1", "A.7.2")),
    _topic("securing offices", r"\bsecur(?:e|ing) (?:offices|rooms|facilities)\b", ("A.7.3",)),
    _topic("physical monitoring", r"\bcctv\b|\bvideo surveillance\b", ("A.7.4",)),
    _topic("environmental threats", r"\benvironmental (?:threats|protection|controls)\b",
           ("A.7.5",)),
    _topic("secure areas", r"\bsecure areas?\b", ("A.7.6",)),
    _topic("clear desk", r"\bclear (?:desk|screen)\b|\b(?:screen|device) lock|\block screens?\b",
           ("A.7.7",)),
    _topic("off-premises", r"\boff[- ]premises\b|\blost (?:or stolen )?devices?\b"
           r"|\bstolen devices?\b", ("A.7.9",)),
    _topic("storage media", r"\b(?:removable|storage) media\b|\bmedia handling\b", ("A.7.10",)),
    _topic("supporting utilities", r"\bsupporting utilities\b|\bpower supply\b", ("A.7.11",)),
    _topic("cabling", r"\bcabling\b", ("A.7.12",)),
    _topic("equipment maintenance", r"\b(?:equipment|device) maintenance\b", ("A.7.13",)),
    _topic("disposal", r"\bdisposal\b|\bre-?use of equipment\b|\bdecommission", ("A.7.14",)),
    _topic("endpoint devices", r"\bendpoints?\b|\bworkstations?\b|\bmobile devices?\b"
           r"|\bbyod\b|\bmdm\b|\bmobile device management\b", ("A.8.1",)),
    _topic("privileged access", r"\bprivileged (?:access|accounts?)\b|\badmin(?:istrator)? "
           r"(?:access|rights|accounts)\b", ("A.8.2",)),
    _topic("source code", r"\bsource code\b", ("A.8.4",)),
    _topic("secure authentication", r"\bmulti[- ]factor\b|\btwo[- ]factor\b|\b2fa\b|\bmfa\b"
           r"|\bsingle sign[- ]on\b|\bsso\b|\bauthentication\b", ("A.8.5",)),
    _topic("capacity management", r"\bcapacity (?:management|planning)\b", ("A.8.6",)),
    _topic("malware", r"\bmalware\b|\banti-?virus\b|\bviruses\b", ("A.8.7",)),
    _topic("vulnerability management", r"\bvulnerabilit(?:y|ies)\b|\bpatch(?:ing| management)\b",
           ("A.8.8",)),
    _topic("configuration management", r"\bconfiguration management\b|\bhardening\b"
           r"|\bbaseline configurations?\b", ("A.8.9",)),
    _topic("information deletion", r"\b(?:data|information) deletion\b|\bsecure (?:erasure|"
           r"deletion)\b", ("A.8.10",)),
    _topic("data masking", r"\bmasking\b|\bpseudonymi[sz]|\banonymi[sz]", ("A.8.11",)),
    _topic("data leakage prevention", r"\bdata leak(?:age)? prevention\b|\bdlp\b", ("A.8.12",)),
    _topic("backup", r"\bbackups?\b|datensicherung", ("A.8.13",)),
    _topic("redundancy", r"\bredundanc(?:y|ies)\b|\bhigh availability\b", ("A.8.14",)),
    _topic("logging", r"\blogging\b|\blog management\b|\bevent logs?\b|\baudit (?:logs?|trails?)\b"
           r"|protokollierung", ("A.8.15",)),
    _topic("monitoring", r"\bsecurity monitoring\b|\bmonitoring activities\b|\bsiem\b"
           r"|\bintrusion detection\b|\bcontinuous monitoring\b", ("A.8.16",)),
    _topic("clock synchronisation", r"\bclock synchroni[sz]|\btime synchroni[sz]|\bntp\b",
           ("A.8.17",)),
    _topic("software installation", r"\bsoftware installation\b|\binstall(?:ing|ation of) "
           r"software\b", ("A.8.19",)),
    _topic("network security", r"\bnetwork security\b|\bnetwork controls\b|\bfirewalls?\b",
           ("A.8.20",)),
    _topic("network segregation", r"\bnetwork segregation\b|\bnetwork segmentation\b"
           r"|\bsegregation of networks\b", ("A.8.22",)),
    _topic("web filtering", r"\bweb filtering\b|\burl filtering\b", ("A.8.23",)),
    _topic("cryptography", r"\bcryptograph|\bencryption\b|\bkey management\b"
           r"|verschlüsselung|\bkryptogra", ("A.8.24",)),
    _topic("secure development", r"\bsecure development\b|\bsdlc\b|\bsoftware development "
           r"life ?cycle\b|\bsoftware development\b", ("A.8.25",)),
    _topic("security architecture", r"\bsecurity architecture\b|\bsecure (?:system )?"
           r"architecture\b|\bengineering principles\b", ("A.8.27",)),
    _topic("secure coding", r"\bsecure coding\b|\bcode reviews?\b|\bcoding standards?\b",
           ("A.8.28",)),
    _topic("security testing", r"\bsecurity testing\b|\bpenetration test|\bpentest",
           ("A.8.29",)),
    _topic("outsourced development", r"\boutsourced development\b", ("A.8.30",)),
    _topic("separation of environments", r"\bseparation of (?:development|environments)\b"
           r"|\bproduction environments?\b", ("A.8.31",)),
    _topic("change management", r"\bchange (?:management|control)\b|änderungsmanagement",
           ("A.8.32",)),
    _topic("test data", r"\btest data\b|testdaten", ("A.8.33",)),
)


def topics_in(text: str, title: bool = False) -> list[Topic]:
    """Topics a title or heading is about; generic topics only when it is the title."""
    return [topic for topic in TOPICS
            if (title or not topic.generic) and topic.pattern.search(text)]
