"""The words of the access report, in English and German."""

from __future__ import annotations

from typing import Literal

Lang = Literal["en", "de"]

WORDS: dict[str, tuple[str, str]] = {
    "title": ("Your data", "Ihre Daten"),
    "who.you": ("you, in the privacy center", "Sie selbst, im Datenschutz-Center"),
    "who.officer": ("the privacy officer", "die Datenschutzbeauftragte"),
    "who.service": ("the service {name}", "der Dienst {name}"),
    "who.staff": ("staff ({name}), on the command line", "Personal ({name}), per Kommandozeile"),
    "intro": (
        "This is everything we store about you, what it may be used for, what you decided, "
        "and who used it. It was generated on {date} from the store itself.",
        "Das sind alle Daten, die wir über Sie speichern, wofür sie verwendet werden dürfen, "
        "was Sie entschieden haben und wer sie verwendet hat. Erstellt am {date} direkt aus "
        "dem Datenbestand.",
    ),
    "summary": (
        "We store {records} items about you, of {kinds} kinds.",
        "Wir speichern {records} Einträge über Sie, von {kinds} Arten.",
    ),
    "about_you": ("About you", "Zu Ihrer Person"),
    "your_data": ("What we store, by kind", "Was wir speichern, nach Art"),
    "items": ("{n} items", "{n} Einträge"),
    "used_for": ("May be used for:", "Darf verwendet werden für:"),
    "used_for_nothing": (
        "No purpose may use it; it is kept only to run your account.",
        "Kein Zweck darf es verwenden; es dient nur Ihrem Konto.",
    ),
    "show_items": ("Show the items", "Einträge anzeigen"),
    "decisions": ("Your decisions", "Ihre Entscheidungen"),
    "no_decisions": ("You have made no decisions yet.", "Sie haben noch nichts entschieden."),
    "notice": ("privacy notice version", "Datenschutzhinweis, Version"),
    "datasets": ("Datasets with your posts", "Datensätze mit Ihren Beiträgen"),
    "no_datasets": ("No dataset holds your posts.", "Kein Datensatz enthält Ihre Beiträge."),
    "samples": ("{n} of your posts", "{n} Ihrer Beiträge"),
    "stale": (
        "out of date: {why}; it must be rebuilt without them",
        "veraltet: {why}; er muss ohne diese neu erstellt werden",
    ),
    "current": ("up to date", "aktuell"),
    "models": ("models trained on it: {names}", "darauf trainierte Modelle: {names}"),
    "events": ("Who used your data", "Wer Ihre Daten verwendet hat"),
    "no_events": ("Nobody has used your data yet.", "Niemand hat Ihre Daten bisher verwendet."),
    "recipients": ("Who received your data", "Wer Ihre Daten erhalten hat"),
    "no_recipients": ("Nobody outside the platform.", "Niemand außerhalb der Plattform."),
    "rights": ("What you can do", "Was Sie tun können"),
    "rights_text": (
        "You can withdraw a consent or object to a purpose at any time, as easily as you "
        "gave it; it applies from the next use, and datasets holding your posts are rebuilt "
        "without them. You can download your data, or have it erased.",
        "Sie können eine Einwilligung jederzeit so einfach widerrufen, wie Sie sie gegeben "
        "haben, oder einem Zweck widersprechen; das gilt ab der nächsten Verwendung, und "
        "Datensätze mit Ihren Beiträgen werden ohne sie neu erstellt. Sie können Ihre Daten "
        "herunterladen oder löschen lassen.",
    ),
    "when": ("When", "Wann"),
    "who": ("Who", "Wer"),
    "what": ("What", "Was"),
    "purpose": ("Purpose", "Zweck"),
    "decision": ("Decision", "Entscheidung"),
    "basis.consent": ("only with your consent", "nur mit Ihrer Einwilligung"),
    "basis.explicit_consent": (
        "only with your explicit consent",
        "nur mit Ihrer ausdrücklichen Einwilligung",
    ),
    "basis.legitimate_interest": (
        "our legitimate interest, unless you object",
        "unser berechtigtes Interesse, solange Sie nicht widersprechen",
    ),
    "basis.never": ("not at all", "gar nicht"),
    "decision.grant": ("you agreed", "Sie haben eingewilligt"),
    "decision.withdraw": ("you withdrew", "Sie haben widerrufen"),
    "decision.object": ("you objected", "Sie haben widersprochen"),
    "decision.none": ("you have not decided", "noch keine Entscheidung"),
    "action.gate.ask": ("asked what it may use of your data", "fragte, was es verwenden darf"),
    "action.dataset.rebuild": (
        "rebuilt a dataset without withdrawn posts",
        "erstellte einen Datensatz ohne widerrufene Beiträge neu",
    ),
    "action.rights.access": ("showed you this report", "zeigte Ihnen diesen Bericht"),
    "action.rights.export": ("exported your data for you", "exportierte Ihre Daten für Sie"),
    "action.subject.erase": ("erased data", "löschte Daten"),
    "action.jobs.candidates": (
        "found you in a candidate search",
        "fand Sie in einer Kandidatensuche",
    ),
    "action.dataset.build": ("built a dataset", "erstellte einen Datensatz"),
    "receives.records": ("the data itself", "die Daten selbst"),
    "receives.dp_aggregates": (
        "only statistics that cannot be traced back to you",
        "nur Statistiken, die nicht auf Sie zurückführbar sind",
    ),
    "receives.candidate_matches": (
        "that you match a job, under a pseudonym",
        "dass Sie zu einer Stelle passen, unter einem Pseudonym",
    ),
    "field.id": ("Member id", "Mitglieds-ID"),
    "field.handle": ("Username", "Benutzername"),
    "field.birth_date": ("Date of birth", "Geburtsdatum"),
    "field.born_no_later_than": ("Born no later than", "Geboren spätestens am"),
    "field.country": ("Country", "Land"),
}


def word(key: str, lang: Lang, **values: object) -> str:
    """The text for ``key`` in ``lang``, with ``values`` filled in."""
    english, german = WORDS.get(key, (key, key))
    return (german if lang == "de" else english).format(**values)
