"""The weighted tally of a resolution, in exact arithmetic, and its explanation in words.

Pure functions (no database): `selectors.resolution_tally` gathers the counts,
`tally_compute` decides, `tally_explain` writes the arithmetic out.

Rules:

- Each college's share is its « for » votes over its base: the votes cast
  (for + against, plus abstentions when the statutes count them) or, for a
  majority « of the members », its eligible members.
- A college with an empty base (no vote cast, or no member) is empty: its weight
  goes to the other colleges, in proportion to their weights or in equal parts,
  as the statutes say, so that the weights used always sum to 100 %.
- The weighted « for » share is the sum of weight times share. A simple majority
  needs more than half; two thirds and three quarters need at least that much.
  Under a simple majority, « for » equal to « against » is a tie, settled by the
  statutes (rejected, or put to a new vote).
- Without quorum nothing is decided.

Fractions, never floats: a unanimous college moves the result by exactly its weight.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

HUNDRED = Fraction(100)
THRESHOLDS = {
    "simple": Fraction(50),
    "two_thirds": Fraction(200, 3),
    "three_quarters": Fraction(75),
}


@dataclass
class CollegeCount:
    key: int | None
    name: str
    weight: Fraction  # percent, as at the convocation
    eligible: int
    votes_for: int = 0
    votes_against: int = 0
    abstentions: int = 0


@dataclass
class TallyRules:
    majority: str = "simple"  # simple | two_thirds | three_quarters
    base: str = "cast"  # cast | members
    empty_college: str = "pro_rata"  # pro_rata | equal
    abstentions_count: bool = False
    tie_rule: str = "rejected"  # rejected | revote
    quorum_met: bool = True


@dataclass
class CollegeResult:
    count: CollegeCount
    base: int
    empty: bool
    effective_weight: Fraction
    share_for: Fraction  # percent of the college's base
    share_against: Fraction
    contribution_for: Fraction  # percent of the total
    contribution_against: Fraction


@dataclass
class TallyResult:
    colleges: list[CollegeResult]
    rules: TallyRules
    total_for: Fraction
    total_against: Fraction
    threshold: Fraction
    outcome: str  # adopted | rejected | tie_revote | no_quorum
    tie: bool = False
    nothing_cast: bool = False
    weighted: bool = True
    notes: list[str] = field(default_factory=list)


def effective_weights(colleges: list[CollegeCount], empty: list[bool], rule: str) -> list[Fraction]:
    """The weights used, once empty colleges' weights are shared (sum: 100, unless all are empty)."""
    kept = [c.weight for c, e in zip(colleges, empty, strict=True) if not e]
    if not kept:
        return [Fraction(0)] * len(colleges)
    kept_total = sum(kept, Fraction(0))
    freed = sum((c.weight for c, e in zip(colleges, empty, strict=True) if e), Fraction(0))
    weights = []
    for college, is_empty in zip(colleges, empty, strict=True):
        if is_empty:
            weights.append(Fraction(0))
        elif rule == "equal":
            # The weights declared may not sum to 100 exactly (one member, one vote has
            # one college at 100): scale so that the total used is 100.
            weights.append((college.weight + freed / len(kept)) * HUNDRED / (kept_total + freed))
        elif kept_total == 0:
            weights.append(HUNDRED / len(kept))
        else:
            weights.append(college.weight * HUNDRED / kept_total)
    return weights


def tally_compute(*, colleges: list[CollegeCount], rules: TallyRules) -> TallyResult:
    bases = []
    for c in colleges:
        if rules.base == "members":
            bases.append(c.eligible)
        else:
            bases.append(
                c.votes_for + c.votes_against + (c.abstentions if rules.abstentions_count else 0)
            )
    empty = [b == 0 for b in bases]
    weights = effective_weights(colleges, empty, rules.empty_college)
    results = []
    total_for = Fraction(0)
    total_against = Fraction(0)
    for c, base, is_empty, w in zip(colleges, bases, empty, weights, strict=True):
        share_for = Fraction(c.votes_for * 100, base) if base else Fraction(0)
        share_against = Fraction(c.votes_against * 100, base) if base else Fraction(0)
        contribution_for = w * share_for / HUNDRED
        contribution_against = w * share_against / HUNDRED
        total_for += contribution_for
        total_against += contribution_against
        results.append(
            CollegeResult(
                count=c,
                base=base,
                empty=is_empty,
                effective_weight=w,
                share_for=share_for,
                share_against=share_against,
                contribution_for=contribution_for,
                contribution_against=contribution_against,
            )
        )
    threshold = THRESHOLDS[rules.majority]
    nothing_cast = all(empty)
    tie = False
    if not rules.quorum_met:
        outcome = "no_quorum"
    elif nothing_cast:
        outcome = "rejected"
    elif rules.majority == "simple":
        if total_for > threshold:
            outcome = "adopted"
        elif total_for == total_against:
            tie = True
            outcome = "tie_revote" if rules.tie_rule == "revote" else "rejected"
        else:
            outcome = "rejected"
    else:
        outcome = "adopted" if total_for >= threshold else "rejected"
    return TallyResult(
        colleges=results,
        rules=rules,
        total_for=total_for,
        total_against=total_against,
        threshold=threshold,
        outcome=outcome,
        tie=tie,
        nothing_cast=nothing_cast,
        weighted=len(colleges) > 1,
    )


def number_words(value: Decimal | Fraction | int, places: int = 2) -> str:
    """A number as people write it: « 12,5 », « 60 » (no exponent, no trailing zeros)."""
    if isinstance(value, Fraction):
        value = Decimal(value.numerator) / Decimal(value.denominator)
    number = Decimal(value).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    number = number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    return formats.number_format(number, use_l10n=True)


def pct(value: Fraction, places: int = 2) -> str:
    """« 22,5 % »: rounded half up, trailing zeros dropped, in the active language."""
    return _("%(value)s %%") % {"value": number_words(value, places)}


def majority_words(rules: TallyRules) -> str:
    base = _("of the votes cast") if rules.base == "cast" else _("of the members")
    if rules.majority == "simple":
        return _("more than half %(base)s") % {"base": base}
    if rules.majority == "two_thirds":
        return _("at least two thirds %(base)s") % {"base": base}
    return _("at least three quarters %(base)s") % {"base": base}


def tally_explain(result: TallyResult) -> list[str]:
    """The arithmetic in plain words, one sentence per line."""
    rules = result.rules
    lines = []
    if rules.abstentions_count:
        lines.append(
            _("Abstentions count as votes cast (statutes): they weigh like votes against.")
        )
    else:
        lines.append(_("Abstentions are not votes cast: they are counted but do not weigh."))
    for r in result.colleges:
        c = r.count
        counts = _("%(for)s for, %(against)s against, %(abstain)s abstaining") % {
            "for": c.votes_for,
            "against": c.votes_against,
            "abstain": c.abstentions,
        }
        if not result.weighted:
            if r.empty:
                lines.append(_("%(counts)s: no vote cast.") % {"counts": counts})
            else:
                lines.append(
                    _("%(counts)s; base %(base)s: %(share)s for.")
                    % {"counts": counts, "base": r.base, "share": pct(r.share_for)}
                )
            continue
        if r.empty:
            if rules.empty_college == "equal":
                rule = _("its weight is shared equally among the other colleges")
            else:
                rule = _(
                    "its weight is shared among the other colleges in proportion to their weights"
                )
            lines.append(
                _(
                    "College « %(name)s » (weight %(weight)s): %(counts)s; nothing to count, %(rule)s."
                )
                % {"name": c.name, "weight": pct(c.weight), "counts": counts, "rule": rule}
            )
            continue
        weight = pct(c.weight)
        if r.effective_weight != c.weight:
            weight = _("%(declared)s, %(used)s once empty colleges are shared") % {
                "declared": pct(c.weight),
                "used": pct(r.effective_weight),
            }
        lines.append(
            _(
                "College « %(name)s » (weight %(weight)s): %(counts)s; base %(base)s; "
                "%(share)s for, which brings %(weight_used)s × %(share)s = %(contribution)s."  # noqa: RUF001 -- the multiplication sign, in French arithmetic
            )
            % {
                "name": c.name,
                "weight": weight,
                "counts": counts,
                "base": r.base,
                "share": pct(r.share_for),
                "weight_used": pct(r.effective_weight),
                "contribution": pct(r.contribution_for),
            }
        )
    if result.weighted:
        parts = " + ".join(pct(r.contribution_for) for r in result.colleges if not r.empty)
        if parts:
            lines.append(
                _("Weighted total for: %(parts)s = %(total)s; against: %(against)s.")
                % {
                    "parts": parts,
                    "total": pct(result.total_for),
                    "against": pct(result.total_against),
                }
            )
    lines.append(
        _("Majority required: %(majority)s (%(threshold)s).")
        % {"majority": majority_words(rules), "threshold": pct(result.threshold)}
    )
    if result.outcome == "no_quorum":
        lines.append(_("The quorum is not reached: the resolution cannot be decided."))
    elif result.nothing_cast:
        lines.append(_("No vote was cast: the resolution is not adopted."))
    elif result.tie:
        if result.outcome == "tie_revote":
            lines.append(
                _("For and against are equal: as the statutes say, it is put to a new vote.")
            )
        else:
            lines.append(_("For and against are equal: as the statutes say, a tie rejects it."))
    elif result.outcome == "adopted":
        lines.append(_("The resolution is adopted."))
    else:
        lines.append(_("The resolution is not adopted."))
    return lines


def voters_words(count: int) -> str:
    return ngettext("%(count)s voter", "%(count)s voters", count) % {"count": count}
