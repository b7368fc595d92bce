"""Which units make a dose: the fewest tablets, capsules, patches or sprays, largest first.

12 mg from 2 mg and 8 mg tablets is one 8 mg and two 2 mg tablets. Where a
tablet is scored, at most one half tablet may be part of a dose. A dose that no
combination makes has no composition, and the guard refuses it. Pure
arithmetic in :class:`~decimal.Decimal`, so 0.4 mg is exact.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

MAX_UNITS_PER_DOSE = 40  # more is a prescription to check, not a dose to print
MAX_STEPS = 20_000  # the search's size: a dose more than this many of the strengths' common steps is refused


@dataclass(frozen=True)
class UnitCount:
    """``count`` units (a half where a scored tablet is halved) of ``strength_mg`` each."""

    strength_mg: Decimal
    count: Decimal

    @property
    def mg(self) -> Decimal:
        return self.strength_mg * self.count


Composition = tuple[UnitCount, ...]


def compose(mg, strengths: tuple[Decimal, ...], *, halves: bool = False) -> Composition | None:
    """The fewest units that make ``mg`` exactly (larger strengths first on a tie), or None.

    ``strengths`` may be in any order; with ``halves`` one unit may be half a tablet."""
    target = Decimal(mg)
    ordered = tuple(sorted(set(strengths), reverse=True))
    best = _whole_units(target, ordered)
    if halves:
        for strength in reversed(ordered):  # the smallest half first: the fewest whole tablets after it
            rest = _whole_units(target - strength / 2, ordered)
            if rest is not None and (best is None or len_units(rest) + 1 < len_units(best)):
                best = _with_half(rest, strength)
    if best is None:
        return None
    return tuple(unit for unit in best if unit.count)


def len_units(composition: Composition) -> int:
    """How many separate units (a half tablet counts as one) a patient handles."""
    return sum(int(unit.count) + (1 if unit.count % 1 else 0) for unit in composition)


def total_units(composition: Composition) -> Decimal:
    return sum((unit.count for unit in composition), Decimal(0))


def _with_half(rest: Composition, strength: Decimal) -> Composition:
    counts = {unit.strength_mg: unit.count for unit in rest}
    counts[strength] = counts.get(strength, Decimal(0)) + Decimal("0.5")
    return tuple(UnitCount(s, counts[s]) for s in sorted(counts, reverse=True))


def _whole_units(target: Decimal, ordered: tuple[Decimal, ...]) -> Composition | None:
    """Fewest whole units making ``target`` (coin change in steps of the strengths' common divisor)."""
    if target < 0:
        return None
    scale = 10 ** max(-min(value.as_tuple().exponent for value in (target, *ordered)), 0)
    coins = [int(strength * scale) for strength in ordered]
    step = math.gcd(*coins)
    goal = int(target * scale)
    if goal % step or goal // step > MAX_STEPS:
        return None
    coins, goal = [coin // step for coin in coins], goal // step
    fewest = [0] + [MAX_UNITS_PER_DOSE + 1] * goal
    for value in range(1, goal + 1):
        fewest[value] = min((fewest[value - coin] + 1 for coin in coins if coin <= value), default=fewest[value])
    if fewest[goal] > MAX_UNITS_PER_DOSE:
        return None
    counts = dict.fromkeys(ordered, 0)
    while goal:  # the largest strength that still leads to the fewest units
        strength, coin = next((s, c) for s, c in zip(ordered, coins, strict=True)
                              if c <= goal and fewest[goal - c] == fewest[goal] - 1)  # fmt: skip
        counts[strength] += 1
        goal -= coin
    return tuple(UnitCount(strength, Decimal(count)) for strength, count in counts.items())
