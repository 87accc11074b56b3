"""Segments: customers that match saved rules, evaluated as one SQL query.

A rule is ``{"field": "tag", "operator": "is", "value": "vip"}``. Each field knows its operators
and builds a WHERE clause; a segment joins its rules with AND ("all") or OR ("any"). Rules are
validated before they are saved or counted: an unknown field, operator or value is refused with a
message naming the rule. Other modules add fields (orders count, total spent) at start-up with
``register_rule_field``.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError
from sqlalchemy import and_, case, exists, false, func, or_, select, true
from sqlalchemy.sql.elements import ColumnElement

from blueprints.customers.models import MATCH_ALL, MATCHES, Customer, CustomerTag, Segment, customer_tag_links
from blueprints.customers.services import CustomerError, NotFound, Page, flush_unique, one_line, paginate
from webapp.extensions import db
from webapp.i18n import LANGUAGES
from webapp.security import audit

MAX_RULES = 20


class Rule(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    field: str = Field(max_length=40)
    operator: str = Field(max_length=20)
    value: str = Field(default="", max_length=200)


_RULES = TypeAdapter(list[Rule])


@dataclass(frozen=True)
class RuleField:
    label: str
    operators: dict[str, str]  # operator -> label
    # (merchant_id, operator, value) -> WHERE clause on Customer; raises CustomerError for a bad value
    build: Callable[[int, str, str], ColumnElement]
    hint: str = ""


def _day(value: str) -> datetime:
    try:
        return datetime.combine(date.fromisoformat(value), datetime.min.time())
    except ValueError as exc:
        raise CustomerError(f"'{value}' is not a date; use YYYY-MM-DD.", "rules") from exc


def _date_rule(column) -> Callable[[int, str, str], ColumnElement]:
    def build(_merchant_id: int, operator: str, value: str) -> ColumnElement:
        day = _day(value)
        return column >= day + timedelta(days=1) if operator == "after" else column < day
    return build


def _tag(merchant_id: int, operator: str, value: str) -> ColumnElement:
    name = value.strip().lower()
    if not name:
        raise CustomerError("Name the tag.", "rules")
    tagged = exists(select(customer_tag_links.c.customer_id)
                    .join(CustomerTag, CustomerTag.id == customer_tag_links.c.tag_id)
                    .where(customer_tag_links.c.customer_id == Customer.id, CustomerTag.merchant_id == merchant_id,
                           CustomerTag.name == name))
    return tagged if operator == "is" else ~tagged


def _language(_merchant_id: int, operator: str, value: str) -> ColumnElement:
    if value not in LANGUAGES:
        raise CustomerError(f"Unknown language '{value}'; choose one of {', '.join(LANGUAGES)}.", "rules")
    if operator == "is":
        return Customer.language == value
    return or_(Customer.language != value, Customer.language.is_(None))


def _consent(_merchant_id: int, _operator: str, value: str) -> ColumnElement:
    if value not in ("yes", "no"):
        raise CustomerError("Marketing consent is 'yes' or 'no'.", "rules")
    return Customer.marketing_consent.is_(value == "yes")


def _email(_merchant_id: int, operator: str, value: str) -> ColumnElement:
    text = value.strip().lower()
    if not text:
        raise CustomerError("Enter the text the e-mail should contain.", "rules")
    column = func.lower(Customer.email)
    return column.endswith(text, autoescape=True) if operator == "ends_with" else column.contains(text,
                                                                                                 autoescape=True)


DATE_OPERATORS = {"after": "is after", "before": "is before"}
FIELDS: dict[str, RuleField] = {
    "registered": RuleField("Registered", DATE_OPERATORS, _date_rule(Customer.created_at), "YYYY-MM-DD"),
    "last_login": RuleField("Last sign-in", DATE_OPERATORS, _date_rule(Customer.last_login_at), "YYYY-MM-DD"),
    "tag": RuleField("Tag", {"is": "is", "is_not": "is not"}, _tag, "a tag name"),
    "language": RuleField("Language", {"is": "is", "is_not": "is not"}, _language, ", ".join(LANGUAGES)),
    "marketing_consent": RuleField("Marketing consent", {"is": "is"}, _consent, "yes or no"),
    "email": RuleField("E-mail", {"contains": "contains", "ends_with": "ends with"}, _email, "e.g. @example.lu"),
}


def register_rule_field(name: str, field: RuleField) -> None:
    """Another module's field (``orders_count``…): its ``build`` returns a clause on ``Customer``."""
    FIELDS[name] = field


def operator_choices() -> dict[str, str]:
    return {op: label for field in FIELDS.values() for op, label in field.operators.items()}


# -- validation and evaluation ------------------------------------------------------------------
def validate_rules(raw) -> list[Rule]:
    """Parsed rules; refuses anything but a list of known field/operator/value triples."""
    try:
        rules = _RULES.validate_python(raw if raw is not None else [])
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CustomerError(f"The rules are malformed ({where}: {first['msg']}).", "rules") from exc
    if len(rules) > MAX_RULES:
        raise CustomerError(f"A segment has at most {MAX_RULES} rules.", "rules")
    for number, rule in enumerate(rules, 1):
        field = FIELDS.get(rule.field)
        if field is None:
            raise CustomerError(f"Rule {number}: unknown field '{rule.field}'. Choose one of: "
                                f"{', '.join(FIELDS)}.", "rules")
        if rule.operator not in field.operators:
            raise CustomerError(f"Rule {number}: '{rule.operator}' does not apply to {field.label.lower()}; use "
                                f"{' or '.join(field.operators)}.", "rules")
        try:
            field.build(0, rule.operator, rule.value)
        except CustomerError as exc:
            raise CustomerError(f"Rule {number}: {exc}", "rules") from exc
    return rules


def condition(merchant_id: int, rules: list[Rule], match: str = MATCH_ALL) -> ColumnElement:
    clauses = [FIELDS[rule.field].build(merchant_id, rule.operator, rule.value) for rule in rules]
    if not clauses:
        return true()  # no rules: every customer
    return and_(*clauses) if match == MATCH_ALL else or_(*clauses)


def _stored_condition(segment: Segment) -> ColumnElement:
    """A saved segment's clause; rules that no longer validate (a field whose module is gone) match nobody."""
    try:
        rules = validate_rules(segment.rules)
    except CustomerError:
        return false()
    return condition(segment.merchant_id, rules, segment.match)


def members_clause(segment: Segment) -> ColumnElement:
    return _stored_condition(segment)


def count_matching(merchant_id: int, rules: list[Rule], match: str) -> int:
    """The live count while editing: one query."""
    return db.session.scalar(select(func.count(Customer.id)).where(
        Customer.merchant_id == merchant_id, Customer.erased_at.is_(None), condition(merchant_id, rules, match)))


def counts_of(merchant_id: int, segments: list[Segment]) -> dict[int, int]:
    """Members of each segment, all in one query (one conditional sum per segment)."""
    if not segments:
        return {}
    sums = [func.coalesce(func.sum(case((_stored_condition(s), 1), else_=0)), 0) for s in segments]
    row = db.session.execute(select(*sums).where(Customer.merchant_id == merchant_id,
                                                 Customer.erased_at.is_(None))).one()
    return {segment.id: int(value) for segment, value in zip(segments, row, strict=True)}


# -- saved segments -----------------------------------------------------------------------------
def list_segments(store, page: int = 1) -> Page:
    query = select(Segment).where(Segment.merchant_id == store.merchant_id).order_by(Segment.name, Segment.id)
    return paginate(query, page)


def get_segment(store, segment_id: int) -> Segment:
    segment = db.session.get(Segment, segment_id)
    if segment is None or segment.merchant_id != store.merchant_id:
        raise NotFound(segment_id)
    return segment


def clean_segment(data: dict) -> dict:
    name = one_line(data.get("name"))
    if not name:
        raise CustomerError("Name the segment.", "name")
    if len(name) > 80:
        raise CustomerError("Keep the name under 80 characters.", "name")
    match = data.get("match") or MATCH_ALL
    if match not in MATCHES:
        raise CustomerError("Match all rules or any rule.", "match")
    rules = validate_rules(data.get("rules"))
    return {"name": name, "match": match, "rules": [rule.model_dump() for rule in rules]}


def _name_taken(store, name: str, segment_id: int | None = None) -> bool:
    query = select(Segment.id).where(Segment.merchant_id == store.merchant_id, func.lower(Segment.name) == name.lower())
    if segment_id is not None:
        query = query.where(Segment.id != segment_id)
    return db.session.scalar(query) is not None


TAKEN = "A segment with this name exists already."


def create_segment(store, data: dict, actor) -> Segment:
    cleaned = clean_segment(data)
    if _name_taken(store, cleaned["name"]):
        raise CustomerError(TAKEN, "name")
    segment = Segment(merchant_id=store.merchant_id, **cleaned)
    db.session.add(segment)
    flush_unique(TAKEN, "name")
    audit("customers.segment_created", target=segment.name, store=store, user=actor,
          details={"segment_id": segment.id, "rules": cleaned["rules"], "match": cleaned["match"]})
    db.session.commit()
    return segment


def update_segment(store, segment: Segment, data: dict, actor) -> Segment:
    cleaned = clean_segment(data)
    if _name_taken(store, cleaned["name"], segment.id):
        raise CustomerError(TAKEN, "name")
    for key, value in cleaned.items():
        setattr(segment, key, value)
    flush_unique(TAKEN, "name")
    audit("customers.segment_updated", target=segment.name, store=store, user=actor,
          details={"segment_id": segment.id, "rules": cleaned["rules"], "match": cleaned["match"]})
    db.session.commit()
    return segment


def delete_segment(store, segment: Segment, actor) -> None:
    audit("customers.segment_deleted", target=segment.name, store=store, user=actor,
          details={"segment_id": segment.id})
    db.session.delete(segment)
    db.session.commit()
