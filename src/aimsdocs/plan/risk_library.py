"""The AI risk library: typical risks per system kind, written as cause -> event -> consequence.

Each pattern says which systems it fits (kind, role, data, affected groups), whom it harms, its
base likelihood and impact on a 1-5 scale, which facts move those ratings, the treatment a
developer (who can retrain and test) or a deployer (who configures, contracts and oversees) would
choose, and the ISO/IEC 42001 Annex A controls that treatment relies on. Placeholders in braces
are filled with the system's own facts (see risks.py). All text is aimsdocs' own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from aimsdocs.profile.model import AiActCategory, AiSystem, Autonomy, Profile


def _always(_system: AiSystem) -> bool:
    return True


def _no_bonus(_system: AiSystem) -> int:
    return 0


@dataclass(frozen=True)
class RiskPattern:
    key: str
    title: str
    cause: str
    event: str
    consequence: str
    parties: tuple[str, ...]  # group relations harmed; "organisation" for the organisation
    likelihood: int  # base, 1-5
    impact: int  # base, 1-5
    developer_treatment: str
    deployer_treatment: str
    controls: tuple[str, ...]  # Annex A controls the treatment relies on
    kinds: frozenset[str] | None = None  # None: every kind
    when: Callable[[AiSystem], bool] = _always
    checked_by_people: bool = False  # a person checking each output catches the event
    harms_people: bool = False  # worse when the system assesses or decides about people
    isms_controls: tuple[str, ...] = ()  # ISO/IEC 27001 controls that already reduce it
    reduces: str = "likelihood"  # what the treatment lowers: likelihood, impact or both
    impact_bonus: Callable[[AiSystem], int] = _no_bonus


def _kinds(*names: str) -> frozenset[str]:
    return frozenset(names)


LEARNED = _kinds("prediction", "classification", "document_extraction", "anomaly_detection",
                 "recommender", "computer_vision", "ranking_of_people", "other")
GENERATIVE = _kinds("generative_assistant")

DRIFT_EXAMPLES = {
    "prediction": "new routes or customers, seasons, changed traffic or working patterns",
    "classification": "new kinds of case, changed definitions or a different population",
    "document_extraction": "new document layouts, languages, templates or scan quality",
    "anomaly_detection": "new partners, rates, prices or working habits",
    "recommender": "new items, new users or changed preferences",
    "computer_vision": "new cameras, lighting, surroundings or objects",
    "ranking_of_people": "new roles, a changed labour market or new application formats",
    "other": "changing conditions of use",
    "generative_assistant": "new topics, documents and ways of asking",
}


def _has_subjects(system: AiSystem) -> bool:
    return bool(system.groups_of("subjects"))


def _authority_stakes(system: AiSystem) -> int:
    return 1 if system.groups_of("authorities") else 0


def _external(system: AiSystem) -> int:
    return 1 if system.reaches_customers else 0


def _high_risk(system: AiSystem) -> bool:
    return system.eu_ai_act is AiActCategory.high_risk


def _checked(system: AiSystem) -> bool:
    return system.autonomy in (None, Autonomy.advisory, Autonomy.human_approval)


# Per-system patterns ---------------------------------------------------------------------------

SYSTEM_PATTERNS: tuple[RiskPattern, ...] = (
    # The core failure of each kind.
    RiskPattern(
        "wrong_output", "Confident but wrong forecast",
        "Conditions the model has rarely seen, such as disruptions, strikes, extreme weather or "
        "new routes", "{system} gives a wrong estimate with the usual confidence",
        "{users} plan on it and {recipients} receive wrong information or miss service; "
        "{org} loses trust in the feature", ("users", "recipients", "organisation"), 3, 3,
        "Show a confidence range with every estimate; test on disruption scenarios before each "
        "release; set error limits per segment and alert when one is breached.",
        "Ask {supplier} for accuracy per segment; compare estimates with outcomes each month; "
        "tell users in which situations the estimate must not be relied on.",
        ("A.6.2.4", "A.6.2.2", "A.8.2", "A.9.2", "A.10.4"),
        kinds=_kinds("prediction"), checked_by_people=True),
    RiskPattern(
        "wrong_output", "Wrong class or score",
        "Cases near a class boundary or unlike the examples the model learned from",
        "{system} assigns the wrong class or score", "the case is handled the wrong way and "
        "{people} receive a wrong outcome; the same error may repeat across similar cases",
        ("subjects", "recipients", "organisation"), 3, 3,
        "Set per-class error limits from the cost of each mistake; test on borderline and "
        "unusual cases before release; route low-confidence cases to a person.",
        "Configure the decision threshold with the cost of each mistake in mind; route "
        "low-confidence cases to a person; sample-check outcomes each month and report "
        "systematic errors to {supplier}.",
        ("A.6.2.4", "A.6.2.2", "A.9.2", "A.9.4", "A.10.4"),
        kinds=_kinds("classification", "other"), checked_by_people=True, harms_people=True),
    RiskPattern(
        "wrong_output", "Field extracted wrongly with high confidence",
        "Poor scans, unusual layouts, handwriting or stamps over text",
        "{system} extracts a field wrongly but scores it above the review threshold, so nobody "
        "checks it", "wrong data enters records and the documents built from them, and must be "
        "corrected later; where {authorities} receive it, errors can bring delays or penalties",
        ("users", "authorities", "organisation"), 3, 3,
        "Calibrate confidence scores on held-out documents; review a random sample of "
        "auto-accepted fields every week; set higher thresholds for fields with legal effect.",
        "Set the review threshold conservatively for fields with legal effect; check a random "
        "sample of auto-accepted fields every week; report recurring errors to {supplier}.",
        ("A.6.2.4", "A.6.2.2", "A.9.4", "A.7.4", "A.10.4"),
        kinds=_kinds("document_extraction"), checked_by_people=True,
        impact_bonus=_authority_stakes),
    RiskPattern(
        "wrong_output", "Invented or wrong content",
        "The model writes fluent text whether or not it is backed by facts or by the sources it "
        "was given", "a draft contains invented facts, figures or references, or a wrong "
        "summary, and the user does not notice", "wrong information reaches {recipients} under "
        "{org}'s name, leading to poor decisions, complaints or liability",
        ("recipients", "users", "organisation"), 3, 3,
        "Ground answers in approved sources and show them; test factual accuracy on a fixed "
        "question set before each release; block answers outside the supported topics.",
        "Limit retrieval to approved sources and make the assistant show them; require a "
        "person's review before any output leaves {org}; record errors reported by users and "
        "raise patterns with {supplier}.",
        ("A.9.2", "A.9.4", "A.8.2", "A.6.2.4", "A.10.4"),
        kinds=GENERATIVE, checked_by_people=True, impact_bonus=_external),
    RiskPattern(
        "wrong_output", "Suitable people ranked low",
        "The ranking weighs features of an application that say little about fitness for the "
        "role, such as layout, wording or keywords", "suitable candidates are ranked low",
        "{users} read their applications later or with less attention, and {subjects} lose a "
        "fair chance", ("subjects", "users", "organisation"), 3, 4,
        "Validate the ranking against independent assessments of suitability before release; "
        "remove features without a job-related reason; document the features used.",
        "Obtain {supplier}'s validation evidence; compare the ranking with recruiters' own "
        "assessments on a sample each quarter; keep reading every application as the oversight "
        "arrangement requires.",
        ("A.9.4", "A.9.2", "A.5.4", "A.6.2.4", "A.10.2"),
        kinds=_kinds("ranking_of_people"), checked_by_people=True, harms_people=True),
    RiskPattern(
        "wrong_output", "Anomalies missed or flagged in excess",
        "Thresholds are set without regard to how often genuine anomalies occur",
        "genuine anomalies are missed, or so many normal cases are flagged that reviewers stop "
        "looking closely", "errors and overpayments go unnoticed, and {organisations} may be "
        "questioned without cause", ("organisation", "organisations"), 3, 3,
        "Measure precision and recall on known cases before each release; tune the threshold "
        "to the review capacity; review missed cases found later to adjust the model.",
        "Agree the flag rate and precision with {supplier}; track how many flags prove "
        "genuine; adjust the threshold when reviewers are overloaded.",
        ("A.6.2.4", "A.6.2.6", "A.9.2"),
        kinds=_kinds("anomaly_detection"), checked_by_people=True),
    RiskPattern(
        "wrong_output", "Unsuitable recommendations",
        "Recommendations are learned from past behaviour and popularity",
        "unsuitable or narrow suggestions are presented as good choices",
        "{users} act on poor suggestions and {recipients} receive a worse result",
        ("users", "recipients"), 3, 2,
        "Test recommendations for relevance and diversity before release; monitor acceptance "
        "and complaints; let users see why an item is suggested.",
        "Configure which items may be recommended; monitor acceptance and complaints; report "
        "unsuitable patterns to {supplier}.",
        ("A.6.2.4", "A.9.2", "A.8.2"), kinds=_kinds("recommender"), checked_by_people=True),
    RiskPattern(
        "wrong_output", "Objects or people missed or misidentified",
        "Lighting, angle, distance or image quality outside the tested range",
        "{system} misses or misidentifies what the image shows",
        "decisions based on the image are wrong; where safety depends on it, people can be hurt",
        ("users", "subjects", "organisation"), 3, 4,
        "Test on images from every camera, site and lighting condition in use; define the "
        "conditions under which the output must not be used; alert on low image quality.",
        "Confirm with {supplier} the conditions the system was tested for; check a sample of "
        "outputs from each site; stop use where conditions fall outside them.",
        ("A.6.2.4", "A.9.4", "A.9.2"), kinds=_kinds("computer_vision"), checked_by_people=True,
        harms_people=True),
    # Drift.
    RiskPattern(
        "drift", "Performance drifts in operation",
        "The cases {system} sees in operation move away from the data it was built on "
        "({drift_examples})", "{system}'s error rate rises gradually and nobody is alerted",
        "{users} keep relying on output that is wrong more often, and {recipients} bear the "
        "cost of the errors", ("users", "recipients", "subjects", "organisation"), 3, 3,
        "Measure accuracy on completed cases against a set limit; alert on input drift; "
        "retrain, recalibrate or roll back when a limit is crossed, as a controlled change.",
        "Ask {supplier} for its performance monitoring; compare a monthly sample of outputs "
        "with known outcomes; suspend use and escalate when errors exceed the agreed level.",
        ("A.6.2.6", "A.6.2.4", "A.6.2.5", "A.7.4", "A.9.2"), kinds=LEARNED, reduces="both"),
    # People checking less over time.
    RiskPattern(
        "overreliance", "Oversight turns into a formality",
        "{users} see mostly correct output and work under time pressure",
        "the human check of the oversight arrangement ({oversight}) is done less carefully "
        "until it no longer catches errors", "errors the check was meant to stop go through, "
        "and {org} can no longer show that oversight works", ("users", "subjects", "recipients",
                                                             "organisation"), 3, 3,
        "Design the output so that doubt is visible (confidence, reasons); train overseers on "
        "known failure modes; audit a sample of checked outputs every quarter and keep the "
        "override log as evidence.",
        "Train {users} on the system's known failure modes before they get access; audit a "
        "sample of checked outputs every quarter; keep overrides and corrections as evidence "
        "that oversight works.",
        ("A.9.2", "A.4.6", "A.3.2", "A.9.3", "A.8.2"),
        when=_checked, harms_people=True),
    # Use for something it was not built for.
    RiskPattern(
        "misuse", "Use outside the intended purpose",
        "Access to {system} is not limited to its intended use, and its output looks useful "
        "for other purposes", "it is used for {misuse}, which is out of scope",
        "decisions rest on a system never validated for them, with unfair or unlawful results "
        "for {people}{ai_act_shift}", ("subjects", "data_subjects", "recipients", "organisation"),
        2, 4,
        "State the excluded uses in the instructions for use and customer terms; block them "
        "technically where possible; watch usage for signs of them.",
        "Limit access and features to the intended use; brief users on the excluded uses; "
        "review usage each quarter for signs of them.",
        ("A.9.4", "A.8.2", "A.9.2", "A.5.2", "A.6.2.2"),
        when=lambda s: bool(s.out_of_scope_uses), harms_people=True),
    # Supplier changes.
    RiskPattern(
        "supplier_change", "Supplier changes the model or service",
        "{supplier} updates or replaces the model behind {system}, or changes its terms, on "
        "its own schedule", "the system behaves differently in {org}'s use without "
        "{org} having tested the change", "output that was acceptable becomes wrong or unfair, "
        "and {org} can no longer show that it uses the system as assessed",
        ("users", "subjects", "recipients", "organisation"), 3, 3,
        "Pin the versions of bought-in models and components; test each new version before "
        "adopting it.",
        "Agree in the contract that {supplier} announces model and term changes in advance; "
        "keep a short acceptance test of typical cases and rerun it after every announced "
        "change; review the supplier every year.",
        ("A.10.3", "A.10.2", "A.6.2.6", "A.4.4", "A.4.5"),
        when=lambda s: s.acquired and bool(s.third_parties),
        isms_controls=("A.5.19", "A.5.20", "A.5.22")),
    # Personal data.
    RiskPattern(
        "privacy", "Personal data used beyond its purpose",
        "Personal data of {data_subjects} is copied into training and test sets{pseudonymised}",
        "the data is kept longer or used more widely than its purpose allows{reidentified}",
        "{data_subjects} lose control over their data and {org} breaches data protection law",
        ("data_subjects", "subjects", "organisation"), 3, 3,
        "Keep training data pseudonymised and apart from identifying data; set and enforce "
        "retention for training sets; record the lawful basis; review with the DPO before each "
        "release.", "", ("A.7.2", "A.7.3", "A.7.5", "A.7.6", "A.5.4", "A.4.3"),
        kinds=LEARNED, when=lambda s: s.personal_data and s.develops, harms_people=True,
        isms_controls=("A.5.34",)),
    RiskPattern(
        "privacy", "Personal data entered into prompts",
        "Staff enter personal data of {data_subjects} into prompts and uploads",
        "{supplier} processes it outside what the privacy notice and the data processing "
        "agreement cover, or it surfaces in other users' answers", "{data_subjects} lose "
        "control over their data and {org} breaches data protection law",
        ("data_subjects", "organisation"), 3, 3,
        "Filter personal data from prompts where possible; keep prompts out of training data; "
        "set short log retention.",
        "Put a data processing agreement in place; switch off provider training on {org}'s data "
        "where the service allows; tell staff which data must not be entered; record the "
        "system in the records of processing.",
        ("A.9.2", "A.7.3", "A.7.5", "A.5.4", "A.10.3", "A.4.3"),
        kinds=GENERATIVE, when=lambda s: s.personal_data, harms_people=True,
        isms_controls=("A.5.34",)),
    RiskPattern(
        "privacy", "Personal data processed by the provider for its own ends",
        "{system} receives personal data of {people}, and {supplier} can use it to improve its "
        "own service", "{supplier} uses the data beyond {org}'s instructions or keeps it too "
        "long",
        "{people} lose control over their data and {org} breaches data protection law",
        ("subjects", "data_subjects", "organisation"), 2, 3, "",
        "Put a data processing agreement in place that rules out use for the provider's own "
        "purposes; check the retention settings; carry out a DPIA where it is required.",
        ("A.10.3", "A.7.3", "A.7.5", "A.5.4", "A.4.3"),
        kinds=LEARNED, when=lambda s: s.personal_data and s.acquired, harms_people=True,
        isms_controls=("A.5.34",)),
    # Data fitness, for systems the organisation builds.
    RiskPattern(
        "data_quality", "Training data not fit for purpose",
        "Training data from {sources} under-represents some situations or carries labelling "
        "errors", "the model learns patterns that do not hold for those situations",
        "errors concentrate on cases the data covered poorly, and tests on the same data do not "
        "reveal them", ("users", "recipients", "subjects", "organisation"), 3, 3,
        "Write a data specification per system; check completeness, representativeness and "
        "label agreement before each training run; keep data versions traceable to each model "
        "version.", "", ("A.7.2", "A.7.4", "A.7.5", "A.7.6", "A.4.3", "A.6.1.2", "A.6.1.3",
                         "A.6.2.3"),
        kinds=LEARNED, when=lambda s: s.develops),
    # Unequal treatment.
    RiskPattern(
        "fairness", "People ranked lower because of a protected characteristic",
        "Past decisions and the way applications are written differ between groups of people "
        "(by sex, age, origin or disability), and the model can learn these differences "
        "through proxies such as career gaps, names or postcodes", "people from some groups are "
        "ranked systematically lower for the same suitability", "they are shortlisted less "
        "often; {org} risks unlawful discrimination claims and a breach of its duties under "
        "the EU AI Act", ("subjects", "organisation"), 3, 4,
        "Test selection rates per group before each release and after each retraining; remove "
        "or constrain proxy features; document the results in the model card.",
        "Obtain {supplier}'s bias test results; compare shortlisting rates between groups each "
        "quarter (selection-rate ratio); switch off settings that act as proxies; act on any "
        "ratio below the agreed limit.",
        ("A.5.4", "A.5.2", "A.5.3", "A.5.5", "A.6.1.2", "A.6.2.4", "A.9.2", "A.10.2"),
        kinds=_kinds("ranking_of_people"), harms_people=True, reduces="likelihood"),
    RiskPattern(
        "fairness", "Outcomes differ between groups of people",
        "Some groups are rarer in the data the model learned from, or past outcomes in that "
        "data were unequal", "{system} is systematically less accurate, or harsher, for people "
        "in those groups", "{subjects} are treated unequally and {org} risks discrimination "
        "claims", ("subjects", "organisation"), 3, 4,
        "Measure error and outcome rates per group before release and at each review; "
        "rebalance data or adjust thresholds; document the results.",
        "Obtain {supplier}'s test results per group; compare outcome rates between groups each "
        "quarter; configure thresholds to reduce unexplained gaps.",
        ("A.5.4", "A.5.2", "A.5.5", "A.6.1.2", "A.6.2.4", "A.9.2"),
        kinds=_kinds("classification", "computer_vision", "recommender", "other"),
        when=_has_subjects, harms_people=True),
    RiskPattern(
        "fairness", "Less accurate for people with uncommon names or documents",
        "Names, addresses and documents in less common languages, scripts or formats are rarer "
        "in the data {system} learned from", "fields about these people are extracted less "
        "accurately", "records about them contain more errors and their matters take longer to "
        "handle", ("data_subjects",), 3, 2,
        "Measure field accuracy per language and script before release; add training examples "
        "for the weakest groups.",
        "Ask {supplier} for accuracy per language and script; route documents in weak languages "
        "to review.", ("A.5.4", "A.6.2.4", "A.7.4", "A.9.2"),
        kinds=_kinds("document_extraction"), when=lambda s: bool(s.groups_of("data_subjects")),
        harms_people=True),
    RiskPattern(
        "fairness", "Less accurate for partners with little history",
        "Some segments (regions, routes, smaller partners) have little history in the data",
        "{system}'s estimates for those segments are systematically less accurate",
        "{organisations} look less reliable than they are and may lose business",
        ("organisations",), 3, 3,
        "Report accuracy per segment before release and monthly; flag estimates for segments "
        "with little data as less certain.",
        "Ask {supplier} for accuracy per segment; flag estimates for segments with little data.",
        ("A.5.4", "A.5.5", "A.6.2.4", "A.8.2"),
        kinds=_kinds("prediction"), when=lambda s: bool(s.groups_of("organisations"))),
    RiskPattern(
        "fairness", "Some partners flagged far more often",
        "Unusual but legitimate patterns are more common for some partners, such as small or "
        "foreign firms", "cases of {organisations} are flagged far more often than others'",
        "{organisations} face more checks and later payment without reason",
        ("organisations",), 3, 2,
        "Compare flag rates per partner segment before release and each quarter; adjust "
        "features that stand in for size or origin.",
        "Compare flag rates per partner segment each quarter; raise unexplained gaps with "
        "{supplier}.", ("A.5.4", "A.5.5", "A.6.2.4", "A.9.2"),
        kinds=_kinds("anomaly_detection"), when=lambda s: bool(s.groups_of("organisations"))),
    # Transparency.
    RiskPattern(
        "transparency", "People assessed are not told",
        "{subjects} are not told that an AI system assesses or ranks them, or how",
        "{subjects} cannot ask for an explanation, correct their data or contest an outcome",
        "trust suffers and {org} breaches its duties to inform them (GDPR Articles 13 and 14"
        "{art26})", ("subjects", "organisation"), 3, 3,
        "Explain in the instructions for use how deployers inform the people assessed; offer "
        "explanations of individual outputs.",
        "Tell {subjects} in the privacy notice and at the point of contact that AI supports "
        "the assessment, what it does and how to contest an outcome; name who explains a "
        "result on request.", ("A.8.5", "A.5.4", "A.9.2", "A.8.2"),
        when=_has_subjects, harms_people=True, reduces="likelihood"),
    RiskPattern(
        "transparency", "Customers lack information on limits",
        "Customers receive {system}'s output without clear information on its accuracy, limits "
        "and intended use", "{recipients} rely on it where it is weak, or use it outside its "
        "intended use", "their decisions suffer and {org} faces complaints and contract disputes",
        ("recipients", "users", "organisation"), 3, 3,
        "Publish a model card and instructions for use with accuracy per segment, known limits "
        "and excluded uses; show confidence with each output; announce material changes as the "
        "contract requires.", "", ("A.8.2", "A.6.2.7", "A.10.4", "A.8.5"),
        when=lambda s: s.provides and not _has_subjects(s)),
    RiskPattern(
        "transparency", "AI-drafted work passed off as a person's",
        "Work drafted with {system} is sent to {recipients} without review or without the "
        "disclosure they expect", "{recipients} take AI-drafted work as a person's considered "
        "work",
        "trust and accountability suffer when an error comes out; content that imitates real "
        "people, or is published to inform the public, may also breach transparency law",
        ("recipients", "organisation"), 2, 3, "",
        "Set the rule that a named person reviews and owns every AI-assisted deliverable; "
        "disclose AI use where clients or the law expect it; always disclose content that "
        "imitates a real person.", ("A.8.5", "A.9.2", "A.10.4"),
        kinds=GENERATIVE, when=lambda s: s.reaches_customers and s.acquired),
    # AI-specific attacks.
    RiskPattern(
        "security", "Hidden instructions in documents (prompt injection)",
        "Documents, e-mails or web pages the assistant reads can carry hidden instructions",
        "the assistant follows instructions hidden in what it reads: it reveals content from "
        "its context or gives manipulated answers",
        "confidential information of {org} or of {data_subjects} leaks, or staff act on "
        "manipulated output", ("data_subjects", "users", "organisation"), 3, 3,
        "Separate instructions from retrieved content; filter and test against injection "
        "examples before each release; give the assistant no rights to act.",
        "Limit retrieval to approved sources; keep the assistant without rights to act (send, "
        "change records); test with injection examples after each configuration change; log "
        "prompts and retrievals for investigation.",
        ("A.9.2", "A.6.2.8", "A.10.3", "A.6.2.4"), kinds=GENERATIVE,
        isms_controls=("A.8.16", "A.5.15")),
    RiskPattern(
        "security", "Manipulated data enters retraining",
        "Data flows into retraining from {sources} through integrations that can be "
        "compromised or fed deliberately wrong records", "manipulated or corrupt records enter "
        "a training set unnoticed", "a released model behaves wrongly in ways the usual tests "
        "may not catch", ("users", "recipients", "organisation"), 2, 4,
        "Validate and quarantine incoming training data; compare each candidate model with the "
        "released one on a fixed test set; restrict write access to training data and the "
        "model registry.", "", ("A.6.2.4", "A.7.5", "A.6.2.8", "A.6.1.3", "A.6.2.3", "A.4.4"),
        kinds=LEARNED - {"anomaly_detection"}, when=lambda s: s.develops,
        isms_controls=("A.8.25", "A.8.28", "A.8.32"), reduces="likelihood"),
    RiskPattern(
        "security", "Cases shaped to evade detection",
        "People who gain from not being flagged can learn where the thresholds lie",
        "manipulated cases are shaped to pass just under them",
        "losses go undetected and the screening gives false comfort",
        ("organisation",), 2, 3,
        "Vary and review thresholds; keep rule-based checks the model does not replace; sample "
        "cases just under the threshold for review.",
        "Keep rule-based checks beside the system; sample cases just under the threshold for "
        "review; tell {supplier} about evasion patterns found.",
        ("A.6.2.4", "A.6.2.6", "A.9.2"), kinds=_kinds("anomaly_detection")),
    RiskPattern(
        "security", "Model extracted through its interface",
        "{system} answers requests from customers' systems", "someone copies the model or "
        "reconstructs training data by querying it at volume", "{org} loses its intellectual "
        "property, and data about {data_subjects} may be exposed",
        ("organisation", "data_subjects"), 2, 3,
        "Authenticate and rate-limit the interface; alert on unusual query volumes; keep raw "
        "training data out of the serving environment.", "",
        ("A.6.2.8", "A.6.2.5", "A.4.5"), kinds=LEARNED,
        when=lambda s: s.develops and s.provides, isms_controls=("A.8.20", "A.8.5", "A.8.16")),
    RiskPattern(
        "confidentiality", "Client confidential material leaves the organisation",
        "Staff paste confidential material of {org} or its clients into {system}",
        "{supplier} stores or processes it beyond what {org}'s agreements allow",
        "{org} breaches confidentiality commitments and exposes business secrets",
        ("recipients", "organisation"), 3, 3, "",
        "Use only a business plan of the service with no training on inputs and agreed "
        "retention; classify what may be entered; block personal accounts on company devices.",
        ("A.10.3", "A.9.2", "A.10.2"), kinds=GENERATIVE,
        when=lambda s: s.acquired and bool(s.third_parties), isms_controls=("A.5.12", "A.5.14")),
    # Legal duties of regulated systems.
    RiskPattern(
        "deployer_duties", "A deployer duty for a high-risk system is missed",
        "The deployer duties for {system} (use as instructed, competent oversight, relevant "
        "input data, monitoring, keeping logs, informing workers and the people assessed) are "
        "spread across several teams and {supplier}", "one of these duties is not in place "
        "when the system is used",
        "{org} breaches Article 26 of the EU AI Act, and {subjects} lose the protection those "
        "duties give", ("subjects", "organisation"), 3, 4, "",
        "Give each duty a named owner in the impact assessment; check all of them at the go-live "
        "gate; keep the provider's instructions for use and the logs under {org}'s control for "
        "at least six months.", ("A.9.4", "A.9.2", "A.6.2.8", "A.3.2", "A.8.5", "A.7.4",
                                 "A.5.3"),
        when=lambda s: _high_risk(s) and s.uses and not s.provides, harms_people=True),
    RiskPattern(
        "provider_duties", "A high-risk system released before its provider duties are met",
        "Release plans for {system} run ahead of the provider duties for high-risk AI "
        "(risk management, data governance, technical documentation, logging, conformity "
        "assessment, registration)", "{system} is placed on the market before those duties are "
        "met",
        "{org} may not lawfully offer it, and customers lose the assurance they rely on",
        ("recipients", "organisation"), 2, 5,
        "Make the provider duties exit criteria of the release gate; keep the technical "
        "documentation with each version; register the system before release.", "",
        ("A.6.2.5", "A.6.2.7", "A.6.2.4", "A.6.1.3", "A.8.2"),
        when=lambda s: _high_risk(s) and s.provides),
    # Energy and climate.
    RiskPattern(
        "energy", "Compute and energy use grows unmeasured",
        "{system} is retrained and served on cloud compute that nobody meters per system",
        "{system}'s energy use and emissions grow without being measured or questioned",
        "avoidable cost and emissions, at odds with {org}'s and its customers' climate "
        "commitments", ("organisation",), 3, 2,
        "Record compute hours and the cloud provider's carbon figures per system; prefer the "
        "smallest model and the least frequent retraining that meet the acceptance criteria.",
        "", ("A.4.5", "A.5.5"), when=lambda s: s.develops),
    RiskPattern(
        "content_rights", "Delivered content infringes rights",
        "Generated text or images can reproduce protected material or mix in unverified "
        "sources", "such content is delivered to {recipients}", "{org} faces infringement "
        "claims and loses credibility", ("recipients", "organisation"), 2, 3, "",
        "Check deliverables for copied passages before they leave {org}; cite sources; use the "
        "supplier's terms on output rights as a floor, not a guarantee.",
        ("A.9.2", "A.10.4", "A.5.5"), kinds=GENERATIVE,
        when=lambda s: s.reaches_customers),
)


# AIMS-level risks and opportunities (6.1.1) ----------------------------------------------------

@dataclass(frozen=True)
class AimsPattern:
    key: str
    title: str
    cause: str
    event: str
    consequence: str
    parties: str
    likelihood: int
    impact: int
    action: str
    controls: tuple[str, ...]
    owner_role: str
    when: Callable[[Profile, bool], bool]  # (profile, runs an ISMS)
    opportunity: bool = False


def _uses_generative(profile: Profile) -> bool:
    return any(s.kind.value == "generative_assistant" for s in profile.ai_systems)


AIMS_PATTERNS: tuple[AimsPattern, ...] = (
    AimsPattern(
        "competence", "AIMS work squeezed out by daily work",
        "AIMS roles are added to people's existing jobs{small_note}",
        "risk and impact assessments, monitoring and reviews are done late or superficially",
        "AI risks go unnoticed and the AIMS does not achieve its intended results",
        "{org}; people affected by its AI systems", 3, 3,
        "Plan the time each AIMS role needs; train the role holders; report overdue AIMS tasks "
        "to every management review.", ("A.4.6", "A.3.2", "A.2.2"), "aims_owner",
        lambda p, isms: True),
    AimsPattern(
        "shadow_ai", "AI used outside the inventory",
        "Staff can sign up for AI tools, and AI features appear in software already in use, "
        "without going through the inventory", "AI systems are used that nobody has assessed",
        "client and personal data reaches unknown providers, and the AIMS scope no longer "
        "matches what {org} does", "{org}; its clients; people whose data is entered", 4, 3,
        "Publish the list of approved AI tools and the rule that new AI use needs approval; "
        "check software purchases and expense claims for AI tools; ask teams once a year which "
        "AI they use.", ("A.4.2", "A.2.2", "A.9.2", "A.9.3"), "aims_owner",
        lambda p, isms: True),
    AimsPattern(
        "regulation", "Changing AI law missed",
        "EU AI Act duties start in stages between 2025 and 2027, and guidance, standards and "
        "amendments keep arriving", "a new or changed duty is missed for a system in scope",
        "{org} is out of compliance without knowing it, and the legal register is wrong",
        "{org}; people affected by its AI systems", 3, 3,
        "Keep the legal register with a named owner; review it every quarter and before each "
        "management review; turn each new duty into a control with an owner.",
        ("A.2.4", "A.2.3", "A.5.2"), "legal_counsel", lambda p, isms: p.in_eu),
    AimsPattern(
        "concerns", "Concerns about AI not raised",
        "Staff and affected people do not know where to raise concerns about AI, or fear the "
        "consequences", "problems with a system are known but not reported",
        "harm continues longer and {org} learns of it from complaints or authorities",
        "people affected by its AI systems; {org}", 3, 3,
        "Publish the concerns channel to staff and affected groups; protect people who report; "
        "report the number and handling of concerns to each management review.",
        ("A.3.3", "A.8.3", "A.8.5"), "ai_ethics_contact", lambda p, isms: True),
    AimsPattern(
        "incidents", "AI failures not handled as incidents",
        "Incident handling was designed for outages and security events",
        "an AI failure, such as biased, harmful or wrong output, is not recognised or escalated",
        "reporting deadlines are missed and the people affected are not informed in time",
        "people affected by its AI systems; {org}", 3, 3,
        "Add AI failure types and the reporting duties to the incident procedure; train the "
        "first responders; review each AI incident at the management review.",
        ("A.8.4", "A.8.3", "A.6.2.6"), "aims_owner", lambda p, isms: True),
    AimsPattern(
        "two_systems", "AIMS and ISMS drift apart",
        "The AIMS runs beside the ISMS with its own owners and records",
        "the two disagree, for example on risk ratings, supplier status or incident handling",
        "duplicated effort, gaps an auditor will find, and AI risks with a security cause that "
        "fall between the two", "{org}", 3, 2,
        "Share the risk method, document control, audit programme and management review with "
        "the ISMS; cross-reference AI risks that have a security cause in both registers.",
        ("A.2.3",), "aims_owner", lambda p, isms: isms),
    AimsPattern(
        "key_people", "The AIMS rests on a few people",
        "A small team holds the AIMS roles next to operational ones, some of them in conflict",
        "a role holder is absent, or reviews their own work", "the AIMS stalls and its reviews "
        "lack independence", "{org}", 3, 3,
        "Name a deputy for each role; use an external or reciprocal auditor; have top "
        "management confirm decisions where the same person proposes and approves.",
        ("A.3.2", "A.4.6"), "top_management", lambda p, isms: p.small),
    # Opportunities.
    AimsPattern(
        "assurance", "Customer assurance",
        "Customers increasingly ask how their suppliers govern AI", "a documented, audited AIMS "
        "answers tenders and due-diligence questionnaires", "{org} wins and keeps customers "
        "who need that assurance", "{org}; its customers", 3, 3,
        "Publish a short statement of how {org} governs AI; use the SoA and impact assessment "
        "summaries in customer due diligence; consider certification of the AIMS.",
        ("A.8.5", "A.10.4"), "aims_owner",
        lambda p, isms: any(s.reaches_customers for s in p.ai_systems), opportunity=True),
    AimsPattern(
        "integration", "One integrated management system",
        "{org} already runs certified management-system processes",
        "the AIMS reuses them instead of building its own", "lower cost and one audit and "
        "review cycle for information security, quality and AI", "{org}", 4, 3,
        "Run one integrated internal audit programme and one management review covering the "
        "ISMS and the AIMS.", ("A.2.3",), "aims_owner", lambda p, isms: isms, opportunity=True),
    AimsPattern(
        "productivity", "Time saved with safe AI assistance",
        "{generative} can take over drafting and summarising work", "staff adopt it within clear "
        "rules", "time freed for work that needs judgement, without the risks of unmanaged "
        "tools", "{org}; its staff", 4, 3,
        "Measure time saved in the first teams; extend access once the responsible-use training "
        "is complete; share good prompts and examples.", ("A.9.3", "A.9.2"), "aims_owner",
        lambda p, isms: _uses_generative(p), opportunity=True),
    AimsPattern(
        "learning", "Better systems from oversight data",
        "Overrides and corrections made by overseers are logged",
        "they become reviewed examples for the next version of {developed}",
        "accuracy improves where it matters most to users", "{org}; its users", 3, 3,
        "Feed reviewed corrections into the next training set under the data controls; report "
        "the effect in the validation report.", ("A.6.2.6", "A.7.4"), "ai_risk_owner",
        lambda p, isms: any(s.develops for s in p.ai_systems), opportunity=True),
    AimsPattern(
        "climate", "Lower energy use and emissions",
        "Climate change is a relevant issue for {org} and its customers",
        "AI systems are chosen and run with their energy use in mind ({climate_means})",
        "lower compute cost and emissions, and figures "
        "customers can use in their own sustainability reporting", "{org}; its customers", 3, 2,
        "Record energy or cloud carbon figures per AI system; prefer the smallest model that "
        "meets the acceptance criteria; ask suppliers for their figures.", ("A.4.5", "A.5.5"),
        "aims_owner", lambda p, isms: True, opportunity=True),
)
