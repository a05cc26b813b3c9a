"""The facts of one document as its readers find them: measures, projects, indicators and duties.

The outline walk, the table readers and the duty reader all add through ``Facts``, so an id, a unit,
a target or a role list is made one way, whichever reader found the fact.
"""

from __future__ import annotations

from policygraph import ids
from policygraph.ingest.indicators import RawIndicator
from policygraph.ingest.outline import Para
from policygraph.ingest.roles import RoleList, first_listed_leads, led_in_text, with_first_leading
from policygraph.ingest.targets import find_targets
from policygraph.ingest.units import UnitResolver
from policygraph.ingest.values import read_value
from policygraph.model import LEAD, RESPONSIBLE, Duty, Indicator, Measure, Problem, Project, UnitRole


class Facts:
    def __init__(self, doc_id: str, text: str, resolver: UnitResolver) -> None:
        self.doc_id = doc_id
        self.text = text
        self.resolver = resolver
        self.measures: list[Measure] = []
        self.projects: list[Project] = []
        self.indicators: list[Indicator] = []
        self.duties: list[Duty] = []
        self.problems: list[Problem] = []
        self._duty_starts: set[int] = set()
        self._first_leads = first_listed_leads(text)

    def problem(self, line: int, message: str) -> None:
        self.problems.append(Problem(line, message))

    def roles(self, roles: RoleList | None) -> tuple[list[UnitRole], list[str], list[str]]:
        """The unit roles of an annotation, resolved to units, and its lead and responsible names."""
        if not roles:
            return [], [], []
        if self._first_leads:
            roles = with_first_leading(roles)
        unit_roles = [UnitRole(name, role, label, self.resolver.resolve(name)) for name, role, label in roles.roles]
        leads = _dedupe([r.name for r in unit_roles if r.role == LEAD])
        resps = _dedupe([r.name for r in unit_roles if r.role == RESPONSIBLE])
        return unit_roles, leads, resps

    def measure(
        self,
        *,
        number: str,
        title: str,
        path: list[str],
        text: str,
        start: int,
        end: int,
        line: int,
        roles: RoleList | None,
        kind: str,
    ) -> None:
        unit_roles, leads, resps = self.roles(_with_leads_in_text(roles, text))
        self.measures.append(
            Measure(
                id=ids.measure_id(self.doc_id, start),
                number=number,
                title=title,
                section_path=list(path),
                text=text,
                lead_units=leads,
                responsible_units=resps,
                unit_roles=unit_roles,
                targets=find_targets(self.text[start:end], start),
                start=start,
                end=end,
                line=line,
                kind=kind,
                units_unlabelled=bool(roles and roles.unlabelled),
                list_ends_with_deng=bool(roles and roles.ends_with_deng),
            )
        )

    def project(
        self,
        name: str,
        column: str,
        text: str,
        para: Para,
        roles: RoleList | None,
        end: int = 0,
        part: tuple[int, int] | None = None,
    ) -> None:
        """A project printed in ``para`` (to ``end``, when what follows it belongs to it too), or in
        ``part`` of it (start, end) when it is one of several run together there."""
        unit_roles, leads, resps = self.roles(roles)
        start, stop = part if part is not None else (para.start, max(end, para.end))
        self.projects.append(
            Project(
                id=ids.project_id(self.doc_id, start),
                name=name,
                column=column,
                text=text,
                lead_units=leads,
                responsible_units=resps,
                unit_roles=unit_roles,
                start=start,
                end=stop,
                line=para.line,
                units_unlabelled=bool(roles and roles.unlabelled),
                list_ends_with_deng=bool(roles and roles.ends_with_deng),
            )
        )

    def indicator(self, raw: RawIndicator, roles: RoleList | None, cumulative_note: bool) -> None:
        unit_roles, leads, resps = self.roles(roles)
        base, target = read_value(raw.baseline), read_value(raw.target)
        self.indicators.append(
            Indicator(
                id=ids.indicator_id(self.doc_id, raw.start),
                name=raw.name,
                unit=raw.unit or target.unit or base.unit,
                domain=raw.domain,
                baseline_year=raw.baseline_year,
                baseline=raw.baseline,
                baseline_value=base.number,
                target_year=raw.target_year,
                target=raw.target,
                target_value=target.number,
                comparator=target.comparator or raw.comparator_hint,
                cumulative=(raw.cumulative_marks and cumulative_note) or "累计" in raw.name,
                nature=raw.nature,
                lead_units=leads,
                responsible_units=resps,
                unit_roles=unit_roles,
                start=raw.start,
                end=raw.end,
                line=raw.line,
                source_form=raw.source_form,
                place=raw.place,
            )
        )

    def duties_of(self, names: list[str], text: str, path: list[str], start: int, end: int, line: int) -> None:
        """One duty per unit of a passage; a passage is read once (a duty part inside another:
        五、组织构架和职责分工, then （二）职责分工)."""
        if start in self._duty_starts:
            return
        self._duty_starts.add(start)
        for order, name in enumerate(names):
            duty_id = ids.duty_id(self.doc_id, start, order)
            self.duties.append(Duty(duty_id, name, self.resolver.resolve(name), text, path, start, end, line))


def _dedupe(names: list[str]) -> list[str]:
    return list(dict.fromkeys(names))


def _with_leads_in_text(roles: RoleList | None, text: str) -> RoleList | None:
    """An annotation's roles and, when it names no lead, the leads the measure's text names (（四）助老
    服务。村居党组织牵头，…责任单位：社会事业处): the text says who leads, the label who is responsible
    (a unit may be both, as printed)."""
    if roles and any(role == LEAD for _, role, _ in roles.roles):
        return roles
    led = led_in_text(text)
    if not led or not roles:
        return roles or led
    return RoleList(led.roles + roles.roles, roles.unlabelled, roles.ends_with_deng)
