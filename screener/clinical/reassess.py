"""A stored assessment beside the one today's rules give, and what differs between them.

The stored assessment is what was decided at submission and is never replaced; when the
rules have changed since, the clinician sees both. The current one is computed with the
stored ``assessed_on``, so only the rules differ, not the patient's age or intervals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from .engine import assess
from .models import Assessment, Flag, Intake
from .rules import RULES_VERSION

_COMPARED = ("severity", "title", "reason", "action", "source", "evidence")


@dataclass(frozen=True)
class FlagChange:
    """One rule that flags under both versions, with the fields whose content differs."""

    stored: Flag
    current: Flag
    fields: tuple[str, ...]


@dataclass(frozen=True)
class Reassessment:
    """The assessment under the current rules and how it differs from the stored one."""

    stored: Assessment
    current: Assessment
    added: tuple[Flag, ...]
    removed: tuple[Flag, ...]
    changed: tuple[FlagChange, ...]
    agents_added: tuple[str, ...]
    agents_removed: tuple[str, ...]
    techniques_added: tuple[str, ...]
    techniques_removed: tuple[str, ...]

    @property
    def decision_changed(self) -> bool:
        return self.stored.decision != self.current.decision

    @property
    def differs(self) -> bool:
        return bool(self.decision_changed or self.added or self.removed or self.changed or self.agents_added
                    or self.agents_removed or self.techniques_added or self.techniques_removed)


def compare(stored: Assessment, current: Assessment) -> Reassessment:
    """What differs between two assessments of the same intake, flag by rule id."""
    before = {flag.rule_id: flag for flag in stored.flags}
    after = {flag.rule_id: flag for flag in current.flags}
    changed = []
    for flag in current.flags:
        earlier = before.get(flag.rule_id)
        fields = tuple(name for name in _COMPARED if earlier and getattr(earlier, name) != getattr(flag, name))
        if fields:
            changed.append(FlagChange(earlier, flag, fields))
    return Reassessment(
        stored=stored,
        current=current,
        added=tuple(flag for flag in current.flags if flag.rule_id not in before),
        removed=tuple(flag for flag in stored.flags if flag.rule_id not in after),
        changed=tuple(changed),
        agents_added=tuple(sorted(set(current.excluded_agents) - set(stored.excluded_agents))),
        agents_removed=tuple(sorted(set(stored.excluded_agents) - set(current.excluded_agents))),
        techniques_added=tuple(sorted(set(current.excluded_techniques) - set(stored.excluded_techniques))),
        techniques_removed=tuple(sorted(set(stored.excluded_techniques) - set(current.excluded_techniques))),
    )


def reassess(intake: Intake, stored: Assessment) -> Optional[Reassessment]:
    """None while ``stored`` is from the current rules; otherwise today's rules on the same day, compared."""
    if stored.rules_version == RULES_VERSION:
        return None
    return compare(stored, assess(intake, as_of=stored.assessed_on))
