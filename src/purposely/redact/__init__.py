"""Personal data in free text, found and replaced by typed placeholders.

Before a post's text goes into a dataset, the personal data in it is replaced:
``"Ruf mich an: 0171 1234567"`` becomes ``"Ruf mich an: <PHONE>"``. German and English text
are both covered, and every finding is validated, not only matched:

========  ======================================================  =====================
entity    what                                                    validated by
========  ======================================================  =====================
EMAIL     e-mail addresses                                        careful pattern
PHONE     phone numbers, national and international               ``phonenumbers``
IBAN      bank account numbers                                    ``stdnum.iban``
CARD      payment card numbers                                    scheme prefix, Luhn
IP        IPv4 and IPv6 addresses                                 ``ipaddress``
ADDRESS   German and English street addresses                     patterns
ID        German tax ID, tax number, ID card and passport number  ``stdnum.de``, context
PERSON    names: reserved for a plugged-in recogniser             (none shipped)
========  ======================================================  =====================

No name recogniser ships: a named-entity model would have to come from spaCy's model
downloads, no official spaCy model installs on the machines this project runs on, and
nothing may be downloaded at run time. `Recognizer` is the protocol one would implement
(``entities`` and ``find(text, lang)``); pass it to `Redactor` with the defaults.

Speed: a post without digits or ``@`` costs a few cheap tests, and validation runs only on
candidates a compiled pattern found (``bench/redact.py`` measures it against Presidio).
"""

from purposely.redact.recognizer import Recognizer
from purposely.redact.redactor import Redaction, Redactor, default_recognizers
from purposely.redact.spans import Entity, Span, resolve

__all__ = [
    "Entity",
    "Recognizer",
    "Redaction",
    "Redactor",
    "Span",
    "default_recognizers",
    "resolve",
]
