"""Every sentence of the privacy notice and the records of processing, in English and German.

One message id, both languages, the same ``{placeholders}``: a test checks that, so the two
notices cannot drift apart. German addresses the member formally ("Sie") in plain words.
Legal references follow each language's usage (``Art. 6(1)(a) GDPR``,
``Art. 6 Abs. 1 lit. a DSGVO``). Changing a sentence changes the notice version.
"""

from __future__ import annotations

from typing import Final

from purposely.taxonomy import Lang

LANGS: Final[tuple[Lang, ...]] = ("en", "de")

WORDS: Final[dict[str, dict[Lang, str]]] = {
    # --- glue ---------------------------------------------------------------------------------
    "list.and": {"en": "{head} and {last}", "de": "{head} und {last}"},
    "term": {"en": "{label}: {description}", "de": "{label}: {description}"},
    "country": {"en": "{name} ({code})", "de": "{name} ({code})"},
    # --- title and introduction ---------------------------------------------------------------
    "title": {"en": "Privacy notice: {controller}", "de": "Datenschutzhinweise: {controller}"},
    "intro": {
        "en": "This notice explains which of your data {controller} uses, for which purposes, "
        "on which legal basis and for how long, who receives it, and how you can say no. It is "
        "generated from the same policy that the platform applies to every use of your data, "
        "so it cannot say anything other than what the platform does.",
        "de": "Diese Hinweise erklären, welche Ihrer Daten {controller} für welche Zwecke nutzt, "
        "auf welcher Rechtsgrundlage und wie lange, wer sie erhält und wie Sie Nein sagen "
        "können. Sie werden aus demselben Regelwerk erzeugt, das die Plattform bei jeder "
        "Nutzung Ihrer Daten anwendet; sie können daher nichts anderes sagen, als die Plattform "
        "tut.",
    },
    "version": {
        "en": "Version of this notice: {version}. Every consent, withdrawal and objection is "
        "recorded together with the version of the notice that applied at the time.",
        "de": "Version dieser Hinweise: {version}. Jede Einwilligung, jeder Widerruf und jeder "
        "Widerspruch wird zusammen mit der Version der Hinweise gespeichert, die zu diesem "
        "Zeitpunkt galt.",
    },
    # --- controller ---------------------------------------------------------------------------
    "controller.title": {"en": "Who is responsible", "de": "Wer verantwortlich ist"},
    "controller.name": {"en": "Controller", "de": "Verantwortlicher"},
    "controller.address": {"en": "Address", "de": "Anschrift"},
    "controller.contact": {"en": "Contact", "de": "Kontakt"},
    "controller.dpo": {"en": "Data protection officer", "de": "Datenschutzbeauftragte(r)"},
    # --- hard rules ---------------------------------------------------------------------------
    "rules.title": {"en": "Rules that always apply", "de": "Regeln, die immer gelten"},
    "rules.intro": {
        "en": "These rules are built into the platform. No setting can lift them.",
        "de": "Diese Regeln sind fest in die Plattform eingebaut. Keine Einstellung kann sie "
        "aufheben.",
    },
    "rule.purposes": {
        "en": "Your data is used only for the purposes listed in this notice. Any other use is "
        "refused.",
        "de": "Ihre Daten werden nur für die Zwecke genutzt, die in diesen Hinweisen stehen. "
        "Jede andere Nutzung wird abgelehnt.",
    },
    "rule.messages": {
        "en": "Direct messages are used for nothing but delivering them. No purpose may use "
        "them, not even the training of AI models.",
        "de": "Direktnachrichten dienen nur ihrer Zustellung. Kein Zweck darf sie nutzen, auch "
        "nicht das Training von KI-Modellen.",
    },
    "rule.biometric": {
        "en": "Biometric data (face templates) is used only to verify your identity. It is "
        "never sold and never used for anything else.",
        "de": "Biometrische Daten (Gesichtsmerkmale) werden nur genutzt, um Ihre Identität zu "
        "prüfen. Sie werden nie verkauft und für nichts anderes verwendet.",
    },
    "rule.training": {
        "en": "AI models are never trained on private posts, direct messages or data of minors.",
        "de": "KI-Modelle werden nie mit privaten Beiträgen, Direktnachrichten oder Daten von "
        "Minderjährigen trainiert.",
    },
    "rule.gate": {
        "en": "Every use of your data is checked, at the moment of use, against these rules and "
        "your decisions, and recorded in a log in which any later change would show.",
        "de": "Jede Nutzung Ihrer Daten wird im Moment der Nutzung anhand dieser Regeln und "
        "Ihrer Entscheidungen geprüft und in einem Protokoll festgehalten, in dem jede "
        "nachträgliche Änderung auffallen würde.",
    },
    # --- purposes -----------------------------------------------------------------------------
    "purposes.title": {"en": "What we use your data for", "de": "Wofür wir Ihre Daten nutzen"},
    "purposes.intro": {
        "en": "For each purpose: which data it uses, on which legal basis, who receives it, how "
        "long it is kept, and how you say no.",
        "de": "Zu jedem Zweck: welche Daten er nutzt, auf welcher Rechtsgrundlage, wer sie "
        "erhält, wie lange sie aufbewahrt werden und wie Sie Nein sagen.",
    },
    "purpose.title": {"en": "{label} ({key})", "de": "{label} ({key})"},
    "fact.data": {"en": "Data used", "de": "Genutzte Daten"},
    "fact.not_used": {"en": "Never used for this purpose", "de": "Für diesen Zweck nie genutzt"},
    "fact.basis": {"en": "Legal basis", "de": "Rechtsgrundlage"},
    "fact.preparation": {
        "en": "How texts are prepared before use",
        "de": "Wie Texte vor der Nutzung vorbereitet werden",
    },
    "fact.release": {"en": "What leaves the platform", "de": "Was die Plattform verlässt"},
    "fact.recipients": {"en": "Who receives it", "de": "Wer die Daten erhält"},
    "fact.retention": {"en": "How long", "de": "Wie lange"},
    "fact.say_no": {"en": "How to say yes or no", "de": "Wie Sie zustimmen oder Nein sagen"},
    "not_used.minors": {
        "en": "Data of minors (members under {age})",
        "de": "Daten von Minderjährigen (Mitglieder unter {age} Jahren)",
    },
    "not_used.private": {
        "en": "Private posts and direct messages",
        "de": "Private Beiträge und Direktnachrichten",
    },
    # --- legal bases --------------------------------------------------------------------------
    "where.everywhere": {"en": "Wherever you live", "de": "Unabhängig davon, wo Sie leben"},
    "where.everywhere.neutral": {"en": "All countries", "de": "Alle Länder"},
    "where.group": {"en": "Countries of group {group}", "de": "Länder der Gruppe {group}"},
    "where.country": {"en": "{country}", "de": "{country}"},
    "where.default": {"en": "All other countries", "de": "Alle anderen Länder"},
    "where.unknown": {
        "en": "Country not known (the strictest basis above applies)",
        "de": "Land nicht bekannt (es gilt die strengste der genannten Grundlagen)",
    },
    "basis.line": {"en": "{where}: {name}. {explain}", "de": "{where}: {name}. {explain}"},
    "basis.short": {"en": "{where}: {name}", "de": "{where}: {name}"},
    "basis.consent": {
        "en": "consent (Art. 6(1)(a) GDPR)",
        "de": "Einwilligung (Art. 6 Abs. 1 lit. a DSGVO)",
    },
    "basis.explicit_consent": {
        "en": "explicit consent (Art. 6(1)(a) and Art. 9(2)(a) GDPR)",
        "de": "ausdrückliche Einwilligung (Art. 6 Abs. 1 lit. a und Art. 9 Abs. 2 lit. a DSGVO)",
    },
    "basis.legitimate_interest": {
        "en": "legitimate interest (Art. 6(1)(f) GDPR)",
        "de": "berechtigtes Interesse (Art. 6 Abs. 1 lit. f DSGVO)",
    },
    "basis.never": {"en": "none", "de": "keine"},
    "explain.consent": {
        "en": "We use your data only after you have agreed.",
        "de": "Wir nutzen Ihre Daten erst, nachdem Sie zugestimmt haben.",
    },
    "explain.explicit_consent": {
        "en": "We use your data only after you have agreed in a separate step that names "
        "exactly this data.",
        "de": "Wir nutzen Ihre Daten erst, nachdem Sie in einem eigenen Schritt zugestimmt "
        "haben, der genau diese Daten benennt.",
    },
    "explain.legitimate_interest": {
        "en": "We use your data unless you object.",
        "de": "Wir nutzen Ihre Daten, solange Sie nicht widersprechen.",
    },
    "explain.never": {
        "en": "Your data is not used for this purpose.",
        "de": "Ihre Daten werden für diesen Zweck nicht genutzt.",
    },
    # --- text preparation ---------------------------------------------------------------------
    "prep.mentions": {
        "en": "Mentions of other members (@handles) become {mention}.",
        "de": "Erwähnungen anderer Mitglieder (@Handles) werden zu {mention}.",
    },
    "prep.mentions_kept": {
        "en": "Mentions of other members (@handles) are kept.",
        "de": "Erwähnungen anderer Mitglieder (@Handles) bleiben erhalten.",
    },
    "prep.links": {"en": "Links become {link}.", "de": "Links werden zu {link}."},
    "prep.links_kept": {"en": "Links are kept.", "de": "Links bleiben erhalten."},
    "prep.redact": {
        "en": "These kinds of personal data in the text are replaced by placeholders: {entities}.",
        "de": "Diese Arten personenbezogener Daten im Text werden durch Platzhalter ersetzt: "
        "{entities}.",
    },
    "prep.redact_none": {
        "en": "Personal data in the text is not replaced.",
        "de": "Personenbezogene Daten im Text werden nicht ersetzt.",
    },
    "prep.near_duplicates": {
        "en": "Exact copies of a post, and posts at least {percent}% similar to another, are "
        "removed.",
        "de": "Genaue Kopien eines Beitrags und Beiträge, die einem anderen zu mindestens "
        "{percent} % gleichen, werden entfernt.",
    },
    "prep.exact_duplicates": {
        "en": "Exact copies of a post are removed.",
        "de": "Genaue Kopien eines Beitrags werden entfernt.",
    },
    "entity": {"en": "{name} ({placeholder})", "de": "{name} ({placeholder})"},
    "entity.EMAIL": {"en": "e-mail addresses", "de": "E-Mail-Adressen"},
    "entity.PHONE": {"en": "phone numbers", "de": "Telefonnummern"},
    "entity.IBAN": {"en": "bank account numbers", "de": "Kontonummern"},
    "entity.CARD": {"en": "payment card numbers", "de": "Zahlungskartennummern"},
    "entity.IP": {"en": "IP addresses", "de": "IP-Adressen"},
    "entity.ADDRESS": {"en": "postal addresses", "de": "Postanschriften"},
    "entity.ID": {
        "en": "tax, identity card and passport numbers",
        "de": "Steuer-, Personalausweis- und Reisepassnummern",
    },
    "entity.PERSON": {"en": "names of people", "de": "Namen von Personen"},
    # --- release and recipients ---------------------------------------------------------------
    "release.dp_aggregates": {
        "en": "Only statistics about many members, with random noise added (differential "
        "privacy) so that no single member can be picked out. Records about you never leave "
        "the platform.",
        "de": "Nur Statistiken über viele Mitglieder, versehen mit zufälligem Rauschen "
        "(Differential Privacy), sodass sich kein einzelnes Mitglied herauslesen lässt. "
        "Einträge über Sie verlassen die Plattform nie.",
    },
    "recipient": {"en": "{name}: {receives}", "de": "{name}: {receives}"},
    "recipient.in": {"en": "{name}, {country}: {receives}", "de": "{name}, {country}: {receives}"},
    "receives.records": {"en": "the data listed above", "de": "die oben genannten Daten"},
    "receives.dp_aggregates": {
        "en": "differentially private statistics only, never data about you as a person",
        "de": "nur differenziell private Statistiken, nie Daten über Sie als Person",
    },
    "receives.candidate_matches": {
        "en": "matches of your profile to their job listings, shown under a pseudonym",
        "de": "Treffer Ihres Profils zu ihren Stellenanzeigen, unter einem Pseudonym angezeigt",
    },
    "receives.records.neutral": {"en": "the data listed", "de": "die genannten Daten"},
    "receives.dp_aggregates.neutral": {
        "en": "differentially private statistics only, never data about a single member",
        "de": "nur differenziell private Statistiken, nie Daten über ein einzelnes Mitglied",
    },
    "receives.candidate_matches.neutral": {
        "en": "matches of a member's profile to their job listings, shown under a pseudonym",
        "de": "Treffer des Profils eines Mitglieds zu ihren Stellenanzeigen, unter einem "
        "Pseudonym angezeigt",
    },
    "recipients.none": {
        "en": "No one outside {controller}.",
        "de": "Niemand außerhalb von {controller}.",
    },
    # --- retention ----------------------------------------------------------------------------
    "retention.duration": {
        "en": "At most {duration}.",
        "de": "Höchstens {duration}.",
    },
    "retention.none": {
        "en": "As long as you keep the data on the platform and have neither withdrawn your "
        "consent nor objected.",
        "de": "Solange Sie die Daten auf der Plattform behalten und weder Ihre Einwilligung "
        "widerrufen noch widersprochen haben.",
    },
    "retention.biometric": {
        "en": "At most {duration} after your last verification.",
        "de": "Höchstens {duration} nach Ihrer letzten Prüfung.",
    },
    "retention.none.neutral": {
        "en": "As long as the member keeps the data on the platform and has neither withdrawn "
        "consent nor objected.",
        "de": "Solange das Mitglied die Daten auf der Plattform behält und weder seine "
        "Einwilligung widerrufen noch widersprochen hat.",
    },
    "retention.biometric.neutral": {
        "en": "At most {duration} after the member's last verification.",
        "de": "Höchstens {duration} nach der letzten Prüfung des Mitglieds.",
    },
    "duration.Y.one": {"en": "{n} year", "de": "{n} Jahr"},
    "duration.Y.other": {"en": "{n} years", "de": "{n} Jahre"},
    "duration.M.one": {"en": "{n} month", "de": "{n} Monat"},
    "duration.M.other": {"en": "{n} months", "de": "{n} Monate"},
    "duration.W.one": {"en": "{n} week", "de": "{n} Woche"},
    "duration.W.other": {"en": "{n} weeks", "de": "{n} Wochen"},
    "duration.D.one": {"en": "{n} day", "de": "{n} Tag"},
    "duration.D.other": {"en": "{n} days", "de": "{n} Tage"},
    # --- saying no ----------------------------------------------------------------------------
    "say_no.grant": {
        "en": "Giving consent: one click in the privacy center, or {command}.",
        "de": "Einwilligen: ein Klick im Datenschutz-Center oder {command}.",
    },
    "say_no.withdraw": {
        "en": "Withdrawing consent is just as easy, at any time: one click in the privacy "
        "center, or {command}. From the next use on, your data is no longer used for this "
        "purpose; uses before your withdrawal remain lawful.",
        "de": "Der Widerruf ist genauso einfach und jederzeit möglich: ein Klick im "
        "Datenschutz-Center oder {command}. Ab der nächsten Nutzung werden Ihre Daten für "
        "diesen Zweck nicht mehr genutzt; Nutzungen vor dem Widerruf bleiben rechtmäßig.",
    },
    "say_no.object": {
        "en": "Objecting (Art. 21 GDPR), at any time: one click in the privacy center, or "
        "{command}. From the next use on, your data is no longer used for this purpose.",
        "de": "Widersprechen (Art. 21 DSGVO), jederzeit: ein Klick im Datenschutz-Center oder "
        "{command}. Ab der nächsten Nutzung werden Ihre Daten für diesen Zweck nicht mehr "
        "genutzt.",
    },
    "say_no.nothing": {
        "en": "Nothing to do: your data is not used for this purpose.",
        "de": "Nichts zu tun: Ihre Daten werden für diesen Zweck nicht genutzt.",
    },
    # --- biometric data -----------------------------------------------------------------------
    "bio.title": {
        "en": "Biometric data: your face template",
        "de": "Biometrische Daten: Ihre Gesichtsmerkmale",
    },
    "bio.intro": {
        "en": "Only one purpose stores biometric data: {purpose}. This is exactly what is "
        "stored and what happens with it.",
        "de": "Nur ein Zweck speichert biometrische Daten: {purpose}. Hier steht genau, was "
        "gespeichert wird und was damit geschieht.",
    },
    "bio.fact.what": {"en": "What is stored", "de": "Was gespeichert wird"},
    "bio.fact.source": {"en": "Where it comes from", "de": "Woher sie stammen"},
    "bio.fact.protection": {"en": "How it is protected", "de": "Wie sie geschützt werden"},
    "bio.fact.retention": {"en": "How long", "de": "Wie lange"},
    "bio.fact.use": {"en": "What it is used for", "de": "Wofür sie genutzt werden"},
    "bio.fact.recipients": {"en": "Who receives it", "de": "Wer sie erhält"},
    "bio.what.face_descriptor_128": {
        "en": "A face descriptor ({template}): a list of {count} numbers computed from your "
        "face. Not a photo.",
        "de": "Ihre Gesichtsmerkmale in Zahlenform ({template}): eine Liste von {count} "
        "Zahlen, die aus Ihrem Gesicht berechnet werden. Kein Foto.",
    },
    "bio.source.verification_photo": {
        "en": "The numbers are computed from the photo taken when you verify your identity "
        "({source}).",
        "de": "Die Zahlen werden aus dem Foto berechnet, das bei der Prüfung Ihrer Identität "
        "aufgenommen wird ({source}).",
    },
    "bio.photo.deleted": {
        "en": "The photo is deleted as soon as the numbers have been computed.",
        "de": "Das Foto wird gelöscht, sobald die Zahlen berechnet sind.",
    },
    "bio.photo.kept": {
        "en": "The photo is kept as well, for as long as the numbers.",
        "de": "Das Foto wird ebenfalls aufbewahrt, genauso lange wie die Zahlen.",
    },
    "bio.encrypted": {
        "en": "Stored encrypted. The key is kept apart from the database, so a copy of the "
        "database alone does not reveal the numbers.",
        "de": "Verschlüsselt gespeichert. Der Schlüssel liegt getrennt von der Datenbank, "
        "sodass eine Kopie der Datenbank allein die Zahlen nicht preisgibt.",
    },
    "bio.not_encrypted": {
        "en": "Stored without encryption.",
        "de": "Ohne Verschlüsselung gespeichert.",
    },
    "bio.withdraw": {
        "en": "If you withdraw your consent, it is no longer used.",
        "de": "Wenn Sie Ihre Einwilligung widerrufen, werden sie nicht mehr genutzt.",
    },
    "bio.use": {
        "en": "Only to check that you are the person you say you are. Never sold, and never "
        "used for anything else, such as AI training or advertising.",
        "de": "Nur, um zu prüfen, ob Sie die Person sind, die Sie angeben. Sie werden nie "
        "verkauft und nie für etwas anderes genutzt, etwa für KI-Training oder Werbung.",
    },
    "bio.shared_none": {
        "en": "Shared with no one: nobody outside {controller} receives it.",
        "de": "Sie werden an niemanden weitergegeben: Niemand außerhalb von {controller} "
        "erhält sie.",
    },
    "bio.shared_with": {
        "en": "Passed on only to: {recipients}.",
        "de": "Sie werden nur weitergegeben an: {recipients}.",
    },
    # --- countries ----------------------------------------------------------------------------
    "countries.title": {
        "en": "Which countries a group means",
        "de": "Welche Länder eine Gruppe umfasst",
    },
    "countries.intro": {
        "en": "The legal basis can depend on the country you live in. The groups named above "
        "mean these countries:",
        "de": "Die Rechtsgrundlage kann davon abhängen, in welchem Land Sie leben. Die oben "
        "genannten Gruppen umfassen diese Länder:",
    },
    "countries.group": {"en": "{group}: {countries}", "de": "{group}: {countries}"},
    # --- minors -------------------------------------------------------------------------------
    "age.title": {"en": "Minors", "de": "Minderjährige"},
    "age.minimum": {
        "en": "Members under {age} count as minors. We learn your age from your date of birth, "
        "or else from an age or age range that the source of your data gives.",
        "de": "Mitglieder unter {age} Jahren gelten als minderjährig. Ihr Alter entnehmen wir "
        "Ihrem Geburtsdatum oder, wenn es fehlt, einer Altersangabe oder Altersspanne aus der "
        "Quelle Ihrer Daten.",
    },
    "age.excluded_by": {
        "en": "These purposes never use data of minors: {purposes}.",
        "de": "Diese Zwecke nutzen nie Daten von Minderjährigen: {purposes}.",
    },
    "age.excluded_by_none": {
        "en": "No purpose excludes minors.",
        "de": "Kein Zweck schließt Minderjährige aus.",
    },
    "age.unknown_minor": {
        "en": "If we know neither your date of birth nor your age, we treat you as a minor for "
        "these purposes.",
        "de": "Wenn wir weder Ihr Geburtsdatum noch Ihr Alter kennen, behandeln wir Sie für "
        "diese Zwecke als minderjährig.",
    },
    "age.unknown_adult": {
        "en": "If we know neither your date of birth nor your age, we do not treat you as a minor.",
        "de": "Wenn wir weder Ihr Geburtsdatum noch Ihr Alter kennen, behandeln wir Sie nicht "
        "als minderjährig.",
    },
    # --- data kept to apply the rules -----------------------------------------------------------
    "kept.title": {
        "en": "Data we keep to apply these rules",
        "de": "Daten, mit denen wir diese Regeln anwenden",
    },
    "kept.intro": {
        "en": "To tell your data apart from others' and to apply the rules above, we keep:",
        "de": "Um Ihre Daten von denen anderer zu unterscheiden und die Regeln oben anzuwenden, "
        "speichern wir:",
    },
    # --- rights -------------------------------------------------------------------------------
    "rights.title": {"en": "Your rights", "de": "Ihre Rechte"},
    "rights.intro": {
        "en": "You can, at any time and free of charge:",
        "de": "Sie können jederzeit und kostenlos:",
    },
    "rights.access": {
        "en": "see everything stored about you, what it is used for and who received it "
        "(Art. 15 GDPR): {command};",
        "de": "alles einsehen, was über Sie gespeichert ist, wofür es genutzt wird und wer es "
        "erhalten hat (Art. 15 DSGVO): {command};",
    },
    "rights.export": {
        "en": "receive your data in a machine-readable form (Art. 20 GDPR): {command};",
        "de": "Ihre Daten in maschinenlesbarer Form erhalten (Art. 20 DSGVO): {command};",
    },
    "rights.erase": {
        "en": "have your data erased (Art. 17 GDPR): {command}. We keep only the proof of your "
        "past decisions, under a pseudonym that no longer leads to you, and a marker so that "
        "the same data is not imported again;",
        "de": "Ihre Daten löschen lassen (Art. 17 DSGVO): {command}. Wir behalten nur den "
        "Nachweis Ihrer früheren Entscheidungen, unter einem Pseudonym, das nicht mehr zu Ihnen "
        "führt, und eine Markierung, damit dieselben Daten nicht erneut importiert werden;",
    },
    "rights.rectify": {
        "en": "have wrong data corrected or its use restricted (Art. 16 and 18 GDPR): write to "
        "{contact};",
        "de": "falsche Daten berichtigen oder ihre Nutzung einschränken lassen (Art. 16 und 18 "
        "DSGVO): schreiben Sie an {contact};",
    },
    "rights.say_no": {
        "en": "withdraw a consent or object to a use, as described for each purpose above. "
        "Training datasets that already hold your data are then marked as out of date, and "
        "models trained on them as needing retraining;",
        "de": "eine Einwilligung widerrufen oder einer Nutzung widersprechen, wie oben bei jedem "
        "Zweck beschrieben. Trainingsdatensätze, die Ihre Daten bereits enthalten, werden dann "
        "als veraltet markiert, und darauf trainierte Modelle werden zum Neutraining "
        "vorgemerkt;",
    },
    "rights.complain": {
        "en": "complain to a data protection supervisory authority, in particular in the "
        "country where you live or work (Art. 77 GDPR).",
        "de": "sich bei einer Datenschutz-Aufsichtsbehörde beschweren, insbesondere in dem "
        "Land, in dem Sie leben oder arbeiten (Art. 77 DSGVO).",
    },
    "rights.subject": {
        "en": "In the commands, {subject} stands for your member id or @handle. The platform's "
        "staff run them for you when you ask; in the privacy center you do it yourself.",
        "de": "In den Befehlen steht {subject} für Ihre Mitglieds-ID oder Ihr @Handle. Die "
        "Mitarbeitenden der Plattform führen sie auf Ihre Anfrage hin aus; im "
        "Datenschutz-Center erledigen Sie das selbst.",
    },
    # --- records of processing (Art. 30) ------------------------------------------------------
    "ropa.subjects": {"en": "Members of the platform", "de": "Mitglieder der Plattform"},
    "ropa.subjects_adults": {
        "en": "Members of the platform aged {age} or over",
        "de": "Mitglieder der Plattform ab {age} Jahren",
    },
    "safe.gate": {
        "en": "every use is checked by the gate against policy and consent, and logged in a "
        "hash-chained audit log",
        "de": "jede Nutzung wird vom Gate gegen Regelwerk und Einwilligungen geprüft und in "
        "einem hash-verketteten Audit-Protokoll festgehalten",
    },
    "safe.pseudonyms": {
        "en": "consent ledger and audit log name members only by a keyed pseudonym (HMAC-SHA256)",
        "de": "Einwilligungsregister und Audit-Protokoll nennen Mitglieder nur unter einem mit "
        "geheimem Schlüssel gebildeten Pseudonym (HMAC-SHA256)",
    },
    "safe.minors": {
        "en": "minors (under {age}) excluded",
        "de": "Minderjährige (unter {age} Jahren) ausgeschlossen",
    },
    "safe.minors_unknown": {
        "en": "minors (under {age}) and members of unknown age excluded",
        "de": "Minderjährige (unter {age} Jahren) und Mitglieder unbekannten Alters ausgeschlossen",
    },
    "safe.private": {
        "en": "private posts and direct messages never used (hard rule)",
        "de": "private Beiträge und Direktnachrichten nie genutzt (feste Regel)",
    },
    "safe.preparation": {
        "en": "texts prepared before use: {steps}",
        "de": "Texte vor der Nutzung vorbereitet: {steps}",
    },
    "safe.mentions": {"en": "@handles become {mention}", "de": "@Handles werden zu {mention}"},
    "safe.links": {"en": "links become {link}", "de": "Links werden zu {link}"},
    "safe.redact": {
        "en": "{entities} replaced by placeholders",
        "de": "{entities} durch Platzhalter ersetzt",
    },
    "safe.dedup": {"en": "duplicates removed", "de": "Duplikate entfernt"},
    "safe.dp": {
        "en": "only differentially private aggregates leave the platform",
        "de": "nur differenziell private Aggregate verlassen die Plattform",
    },
    "safe.pseudonymous_matches": {
        "en": "recipients see members only under a pseudonym",
        "de": "Empfänger sehen Mitglieder nur unter einem Pseudonym",
    },
    "safe.encrypted": {
        "en": "templates stored encrypted, with the key kept outside the database",
        "de": "Merkmale verschlüsselt gespeichert, der Schlüssel liegt außerhalb der Datenbank",
    },
    "safe.photo_deleted": {
        "en": "verification photo deleted once the template is computed",
        "de": "Foto der Prüfung gelöscht, sobald die Merkmale berechnet sind",
    },
    "safe.explicit": {
        "en": "used only after a separate, explicit consent naming the data",
        "de": "nur nach einer eigenen, ausdrücklichen Einwilligung genutzt, die die Daten benennt",
    },
}
