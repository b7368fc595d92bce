"""The plan's sentences, with the verb of the medicine's form.

Tablets, capsules and liquids are taken, a patch is put on, an injection is
had and a spray is used. Each sentence is whole in the catalog, so a
translator sees the verb with its object; none is built from pieces.
"""

from __future__ import annotations

from ..i18n.translator import Translator

TAKE, PUT_ON, HAVE, USE = "take", "put-on", "have", "use"
VERBS = {"tablet": TAKE, "capsule": TAKE, "liquid": TAKE, "patch": PUT_ON, "injection": HAVE, "spray": USE}


def every_day(t: Translator, form: str, amount: str, how_often: str) -> str:
    """'Take 2 tablets (100 mg) once a day, every day.'"""
    sentences = {
        TAKE: lambda: t.gettext("Take %(amount)s %(how_often)s, every day.", amount=amount, how_often=how_often),
        PUT_ON: lambda: t.gettext("Put on %(amount)s %(how_often)s, every day.", amount=amount, how_often=how_often),
        HAVE: lambda: t.gettext("Have %(amount)s %(how_often)s, every day.", amount=amount, how_often=how_often),
        USE: lambda: t.gettext("Use %(amount)s %(how_often)s, every day.", amount=amount, how_often=how_often),
    }
    return sentences[VERBS[form]]()


def times_of_day(t: Translator, form: str, doses: str) -> str:
    """'Take 2 tablets (666 mg) in the morning and 1 tablet (333 mg) at night, every day.'"""
    sentences = {
        TAKE: lambda: t.gettext("Take %(doses)s, every day.", doses=doses),
        PUT_ON: lambda: t.gettext("Put on %(doses)s, every day.", doses=doses),
        HAVE: lambda: t.gettext("Have %(doses)s, every day.", doses=doses),
        USE: lambda: t.gettext("Use %(doses)s, every day.", doses=doses),
    }
    return sentences[VERBS[form]]()


def on_days(t: Translator, form: str, doses: str) -> str:
    """'Take 2 tablets (100 mg) on Monday and 3 tablets (150 mg) on Friday.'"""
    sentences = {
        TAKE: lambda: t.gettext("Take %(doses)s.", doses=doses),
        PUT_ON: lambda: t.gettext("Put on %(doses)s.", doses=doses),
        HAVE: lambda: t.gettext("Have %(doses)s.", doses=doses),
        USE: lambda: t.gettext("Use %(doses)s.", doses=doses),
    }
    return sentences[VERBS[form]]()


def every_n_days(t: Translator, form: str, amount: str, days: int) -> str:
    """'Have 1 injection (300 mg) every 28 days.'"""
    sentences = {
        TAKE: lambda: t.ngettext("Take %(amount)s every %(count)s day.", "Take %(amount)s every %(count)s days.",
                                 days, amount=amount),
        PUT_ON: lambda: t.ngettext("Put on %(amount)s every %(count)s day.",
                                   "Put on %(amount)s every %(count)s days.", days, amount=amount),
        HAVE: lambda: t.ngettext("Have %(amount)s every %(count)s day.", "Have %(amount)s every %(count)s days.",
                                 days, amount=amount),
        USE: lambda: t.ngettext("Use %(amount)s every %(count)s day.", "Use %(amount)s every %(count)s days.",
                                days, amount=amount),
    }  # fmt: skip
    return sentences[VERBS[form]]()


def as_needed(t: Translator, form: str, amount: str) -> str:
    """'Take 1 spray (1 mg) only when you need it.'"""
    sentences = {
        TAKE: lambda: t.gettext("Take %(amount)s only when you need it.", amount=amount),
        PUT_ON: lambda: t.gettext("Put on %(amount)s only when you need it.", amount=amount),
        HAVE: lambda: t.gettext("Have %(amount)s only when you need it.", amount=amount),
        USE: lambda: t.gettext("Use %(amount)s only when you need it.", amount=amount),
    }
    return sentences[VERBS[form]]()
