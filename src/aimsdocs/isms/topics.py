"""Infer coverage from what a title or heading is about (the weakest evidence we use).

The management-system clauses share one harmonized structure, so "Internal audit" means
27001 9.2 and 9001 9.2. Keywords are kept narrow on purpose: every policy has "Purpose and
scope" and "Records" headings, which say nothing about ISMS scope (4.3) or document control
(7.5), so those topics need more specific wording ("ISMS scope", "records management").
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


def _topic(name: str, pattern: str, iso27001: tuple[str, ...], iso9001: tuple[str, ...] = ()
           ) -> Topic:
    return Topic(name, re.compile(pattern, re.IGNORECASE), iso27001, iso9001)


TOPICS: tuple[Topic, ...] = (
    _topic("document control",
           r"\bdocument(?:ation)? control\b|\bdocumented information\b"
           r"|\bcontrol of (?:documents|records)\b|\brecords? (?:management|retention|keeping)\b",
           ("7.5",), ("7.5",)),
    _topic("internal audit", r"\binternal audits?\b", ("9.2",), ("9.2",)),
    _topic("management review", r"\bmanagement reviews?\b", ("9.3",), ("9.3",)),
    _topic("corrective action", r"\bcorrective actions?\b|\bnon-?conformit(?:y|ies)\b",
           ("10.2",), ("10.2",)),
    # 27001:2022 10.1 is continual improvement; in 9001:2015 it is 10.3.
    _topic("continual improvement", r"\bcontinu(?:al|ous) improvement\b", ("10.1",), ("10.3",)),
    _topic("competence", r"\bcompetenc[ey]\b|\btraining\b", ("7.2",), ("7.2",)),
    _topic("awareness", r"\bawareness\b", ("7.3", "A.6.3"), ("7.3",)),
    _topic("communication", r"\bcommunications?\b(?! (?:security|network))", ("7.4",), ("7.4",)),
    # 9001 has no 6.1.2/8.2 risk assessment; its 6.1 (risks and opportunities) is the match.
    _topic("risk assessment", r"\brisk (?:assessments?|identification|analysis|evaluation)\b",
           ("6.1.2", "8.2"), ("6.1",)),
    _topic("risk treatment", r"\brisk treatment\b", ("6.1.3", "8.3"), ("6.1",)),
    _topic("objectives",
           r"\b(?:security|quality|isms|qms|management system) objectives\b|^objectives\b",
           ("6.2",), ("6.2",)),
    _topic("context of the organisation",
           r"\bcontext of the organi[sz]ation\b|\borgani[sz]ational context\b"
           r"|\binternal and external issues\b", ("4.1",), ("4.1",)),
    _topic("interested parties", r"\binterested parties\b|\bstakeholder register\b",
           ("4.2",), ("4.2",)),
    _topic("scope",
           r"\b(?:isms|qms|management system) scope\b|\bscope of the (?:isms|qms|"
           r"information security management system|quality management system)\b"
           r"|^scope statement\b", ("4.3",), ("4.3",)),
    _topic("roles and responsibilities",
           r"\broles,? (?:and )?responsibilities\b|\bresponsibilities and authorities\b",
           ("5.3",), ("5.3",)),
    _topic("information security policy", r"\binformation security polic(?:y|ies)\b",
           ("5.2", "A.5.1")),
    _topic("incident", r"\bincidents?\b", ("A.5.24", "A.5.26")),
    _topic("supplier", r"\bsuppliers?\b|\bvendors?\b|\bthird[- ]part(?:y|ies)\b",
           ("A.5.19",), ("8.4",)),
    _topic("logging", r"\blogging\b|\blog management\b|\bevent logs?\b", ("A.8.15",)),
)


def topics_in(text: str) -> list[Topic]:
    return [topic for topic in TOPICS if topic.pattern.search(text)]
