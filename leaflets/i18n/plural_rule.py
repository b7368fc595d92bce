"""Gettext ``Plural-Forms`` expressions, parsed and checked without ``eval``.

A catalog's plural rule is C syntax (``n%10>=2 && n%10<=4 ? 1 : 2``). It is
parsed here by a small recursive-descent parser into a Python function, then
tried on many counts: a rule that divides by zero, has unbalanced brackets or
picks a form outside ``0..nplurals-1`` is refused before gettext sees it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

TOKEN_RE = re.compile(r"\s*(?:(\d+)|(n)|(\|\||&&|==|!=|<=|>=|[-+*/%<>!?:()]))")
BINARY_LEVELS = [("||",), ("&&",), ("==", "!="), ("<", ">", "<=", ">="), ("+", "-"), ("*", "/", "%")]
OPERATIONS: dict[str, Callable[[int, int], int]] = {
    "||": lambda a, b: int(bool(a) or bool(b)),
    "&&": lambda a, b: int(bool(a) and bool(b)),
    "==": lambda a, b: int(a == b),
    "!=": lambda a, b: int(a != b),
    "<": lambda a, b: int(a < b),
    ">": lambda a, b: int(a > b),
    "<=": lambda a, b: int(a <= b),
    ">=": lambda a, b: int(a >= b),
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a // b,
    "%": lambda a, b: a % b,
}
COUNTS_TRIED = [*range(0, 1001), 1001, 10_000, 100_000, 1_000_000]
PLURAL_FORMS_RE = re.compile(r"^\s*nplurals\s*=\s*(\d+)\s*;\s*plural\s*=\s*(.+?)\s*;?\s*$")

Rule = Callable[[int], int]


class PluralRuleError(ValueError):
    """The expression cannot be used; the message says why."""


def parse_plural_forms(value: str) -> tuple[int, Rule]:
    """``nplurals=3; plural=...;`` to (nplurals, rule); raise PluralRuleError when unusable."""
    match = PLURAL_FORMS_RE.match(value)
    if not match:
        raise PluralRuleError(f"expected 'nplurals=N; plural=EXPRESSION;', got '{value[:60]}'")
    nplurals, expression = int(match.group(1)), match.group(2)
    if not 1 <= nplurals <= 6:
        raise PluralRuleError(f"nplurals={nplurals}: expected a number from 1 to 6")
    rule = _Parser(expression).parse()
    for count in COUNTS_TRIED:
        try:
            form = rule(count)
        except ZeroDivisionError:
            raise PluralRuleError(f"plural={expression} divides by zero (n={count})") from None
        if not 0 <= form < nplurals:
            raise PluralRuleError(f"plural={expression} gives form {form} for n={count}; nplurals={nplurals}")
    return nplurals, rule


class _Parser:
    def __init__(self, expression: str):
        self.expression = expression
        self.tokens = self._tokenise(expression)
        self.position = 0

    def _tokenise(self, text: str) -> list[str]:
        tokens, position = [], 0
        while position < len(text.rstrip()):
            match = TOKEN_RE.match(text, position)
            if not match:
                raise PluralRuleError(f"plural={text}: unexpected '{text[position:].strip()[:10]}'")
            tokens.append(match.group(match.lastindex))
            position = match.end()
        return tokens

    def parse(self) -> Rule:
        rule = self._ternary()
        if self.position != len(self.tokens):
            raise self._error(f"unexpected '{self.tokens[self.position]}'")
        return rule

    def _error(self, what: str) -> PluralRuleError:
        if self.expression.count("(") != self.expression.count(")"):
            what = "unbalanced parentheses"
        return PluralRuleError(f"plural={self.expression}: {what}")

    def _peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _take(self, expected: str | None = None) -> str:
        token = self._peek()
        if token is None or (expected is not None and token != expected):
            raise self._error(f"expected '{expected}'" if expected else "the expression ends too early")
        self.position += 1
        return token

    def _ternary(self) -> Rule:
        condition = self._binary(0)
        if self._peek() != "?":
            return condition
        self._take("?")
        then = self._ternary()
        self._take(":")
        otherwise = self._ternary()
        return lambda n: then(n) if condition(n) else otherwise(n)

    def _binary(self, level: int) -> Rule:
        if level == len(BINARY_LEVELS):
            return self._unary()
        left = self._binary(level + 1)
        while self._peek() in BINARY_LEVELS[level]:
            operation = OPERATIONS[self._take()]
            right = self._binary(level + 1)
            left = _combine(operation, left, right)
        return left

    def _unary(self) -> Rule:
        symbol = self._take()
        if symbol == "!":
            inner = self._unary()
            return lambda n: int(not inner(n))
        if symbol == "(":
            inner = self._ternary()
            self._take(")")
            return inner
        if symbol == "n":
            return lambda n: n
        if symbol.isdigit():
            value = int(symbol)
            return lambda n: value
        raise self._error(f"unexpected '{symbol}'")


def _combine(operation, left: Rule, right: Rule) -> Rule:
    return lambda n: operation(left(n), right(n))
