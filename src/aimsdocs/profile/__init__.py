"""The organisation profile: what the documents need to know about the organisation."""

from aimsdocs.profile.load import OrgFolder, load_org
from aimsdocs.profile.model import AiSystem, Person, Profile

__all__ = ["AiSystem", "OrgFolder", "Person", "Profile", "load_org"]
