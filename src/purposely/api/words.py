"""The words of the privacy center and the admin view, in English and German.

Each key maps to (English, German). A test checks that both are given, that they use the
same ``{placeholders}``, and that every key a template or page asks for is here.
"""

from __future__ import annotations

from purposely.rights.words import Lang

_COMMON: dict[str, tuple[str, str]] = {
    "center": ("Privacy center", "Datenschutz-Center"),
    "admin": ("Privacy officer", "Datenschutzbeauftragte"),
    "language": ("Language", "Sprache"),
    "sign_in": ("Sign in", "Anmelden"),
    "sign_out": ("Sign out", "Abmelden"),
    "error": ("Something went wrong", "Etwas ist schiefgegangen"),
    "back": ("Back", "Zurück"),
    "home": ("To the start page", "Zur Startseite"),
    "not_found": ("There is no such page.", "Diese Seite gibt es nicht."),
    "purpose": ("Purpose", "Zweck"),
    "password": ("Password", "Passwort"),
    "read_notice": ("Read the privacy notice", "Datenschutzhinweise lesen"),
    "notice_title": ("Privacy notice", "Datenschutzhinweise"),
}

_SIGN_IN: dict[str, tuple[str, str]] = {
    "landing_title": ("Privacy center of {controller}", "Datenschutz-Center von {controller}"),
    "landing_intro": (
        "Here you see and control what happens to your data on the platform:",
        "Hier sehen und steuern Sie, was mit Ihren Daten auf der Plattform geschieht:",
    ),
    "landing_see": (
        "see everything we store about you, and who used it;",
        "alles sehen, was wir über Sie speichern, und wer es verwendet hat;",
    ),
    "landing_decide": (
        "decide for each purpose whether your data may be used for it;",
        "für jeden Zweck entscheiden, ob Ihre Daten dafür verwendet werden dürfen;",
    ),
    "landing_take": (
        "download your data, or have it erased.",
        "Ihre Daten herunterladen oder löschen lassen.",
    ),
    "landing_account": (
        "No password yet? Ask us for an invitation link; with it you choose your password.",
        "Noch kein Passwort? Bitten Sie uns um einen Einladungslink; damit wählen Sie Ihr "
        "Passwort.",
    ),
    "signin_member": ("Sign in to your privacy center", "Im Datenschutz-Center anmelden"),
    "signin_officer": ("Sign in as privacy officer", "Als Datenschutzbeauftragte anmelden"),
    "signin_name": ("Member id or @username", "Mitglieds-ID oder @Benutzername"),
    "signin_login": ("Sign-in name", "Anmeldename"),
    "signin_no_password": (
        "No password yet? Ask us for an invitation link; with it you choose your password.",
        "Noch kein Passwort? Bitten Sie uns um einen Einladungslink; damit wählen Sie Ihr "
        "Passwort.",
    ),
    "signin_no_password_officer": (
        "No password yet? `purposely officer invite NAME` gives you a one-time link.",
        "Noch kein Passwort? `purposely officer invite NAME` erzeugt einen einmaligen Link.",
    ),
    "signin_other_member": (
        "You are signed in as a member. These pages are for the privacy officer only.",
        "Sie sind als Mitglied angemeldet. Diese Seiten sind nur für die Datenschutzbeauftragte.",
    ),
    "signin_other_officer": (
        "You are signed in as privacy officer. These pages are for members only, each for "
        "their own data.",
        "Sie sind als Datenschutzbeauftragte angemeldet. Diese Seiten sind nur für Mitglieder, "
        "jeweils für die eigenen Daten.",
    ),
    "signin_failed": (
        "The name and password do not match. Please check both and try again.",
        "Name und Passwort passen nicht zusammen. Bitte prüfen Sie beides und versuchen Sie es "
        "noch einmal.",
    ),
    "signin_blocked": (
        "Too many failed attempts. Please wait {minutes} minutes, then try again.",
        "Zu viele fehlgeschlagene Versuche. Bitte warten Sie {minutes} Minuten und versuchen "
        "Sie es dann noch einmal.",
    ),
    "invite_title": ("Choose your password", "Passwort wählen"),
    "invite_intro_member": (
        "Welcome. You sign in with your member id {name} or your @username, and the password "
        "you choose now.",
        "Willkommen. Sie melden sich mit Ihrer Mitglieds-ID {name} oder Ihrem @Benutzernamen "
        "an, und mit dem Passwort, das Sie jetzt wählen.",
    ),
    "invite_intro_officer": (
        "Welcome. You sign in as {name} with the password you choose now.",
        "Willkommen. Sie melden sich als {name} an, mit dem Passwort, das Sie jetzt wählen.",
    ),
    "invite_password": (
        "New password (at least {minimum} characters)",
        "Neues Passwort (mindestens {minimum} Zeichen)",
    ),
    "invite_password2": ("The same password again", "Dasselbe Passwort noch einmal"),
    "invite_submit": ("Save password and sign in", "Passwort speichern und anmelden"),
    "invite_once": (
        "This link works once. Afterwards you sign in on the sign-in page.",
        "Dieser Link funktioniert einmal. Danach melden Sie sich auf der Anmeldeseite an.",
    ),
    "invite_mismatch": (
        "The two passwords are not the same. Please type them again.",
        "Die beiden Passwörter stimmen nicht überein. Bitte geben Sie sie noch einmal ein.",
    ),
    "invite_too_short": (
        "This password is too short: please use at least {minimum} characters.",
        "Dieses Passwort ist zu kurz: Bitte verwenden Sie mindestens {minimum} Zeichen.",
    ),
    "invite_gone": (
        "This invitation link is unknown, was already used, or has expired. Please ask for "
        "a new one.",
        "Dieser Einladungslink ist unbekannt, wurde schon benutzt oder ist abgelaufen. Bitte "
        "fragen Sie nach einem neuen.",
    ),
}

_MEMBER: dict[str, tuple[str, str]] = {
    "nav_overview": ("Overview", "Übersicht"),
    "nav_report": ("Your data", "Ihre Daten"),
    "nav_export": ("Download", "Herunterladen"),
    "nav_erase": ("Erase", "Löschen"),
    "me_title": ("Your privacy", "Ihr Datenschutz"),
    "me_intro": (
        "Here you decide what {controller} may use your data for. Your decisions apply from "
        "the next use of your data.",
        "Hier entscheiden Sie, wofür {controller} Ihre Daten verwenden darf. Ihre "
        "Entscheidungen gelten ab der nächsten Verwendung Ihrer Daten.",
    ),
    "me_purposes": ("What your data may be used for", "Wofür Ihre Daten verwendet werden dürfen"),
    "me_purposes_intro": (
        "Open a purpose to read exactly what the privacy notice says about it, and to agree, "
        "withdraw or object with one click.",
        "Öffnen Sie einen Zweck, um genau zu lesen, was die Datenschutzhinweise dazu sagen, und "
        "um mit einem Klick einzuwilligen, zu widerrufen oder zu widersprechen.",
    ),
    "your_decision": ("Your decision", "Ihre Entscheidung"),
    "read_and_decide": ("Read and decide", "Lesen und entscheiden"),
    "me_rights": ("Your rights", "Ihre Rechte"),
    "me_report": (
        "everything we store about you, what it may be used for, and who used it",
        "alles, was wir über Sie speichern, wofür es verwendet werden darf und wer es "
        "verwendet hat",
    ),
    "me_export": (
        "your data as a file that other services can read",
        "Ihre Daten als Datei, die andere Dienste lesen können",
    ),
    "me_erase": (
        "have your account and all your data erased",
        "Ihr Konto und alle Ihre Daten löschen lassen",
    ),
    "decided_none": ("You have not decided yet", "Sie haben noch nicht entschieden"),
    "decided_grant": ("You agreed on {date}", "Sie haben am {date} eingewilligt"),
    "decided_withdraw": (
        "You withdrew your consent on {date}",
        "Sie haben Ihre Einwilligung am {date} widerrufen",
    ),
    "decided_object": ("You objected on {date}", "Sie haben am {date} widersprochen"),
    "decided_against": (
        "against privacy notice version {version}",
        "auf Grundlage der Datenschutzhinweise in Version {version}",
    ),
    "notice_outdated": (
        "The privacy notice has changed since you decided. Please read it again; you can "
        "confirm or change your decision below.",
        "Die Datenschutzhinweise haben sich seit Ihrer Entscheidung geändert. Bitte lesen Sie "
        "sie noch einmal; unten können Sie Ihre Entscheidung bestätigen oder ändern.",
    ),
    "notice_says": (
        "What the privacy notice says about this purpose",
        "Was die Datenschutzhinweise zu diesem Zweck sagen",
    ),
    "notice_version": (
        "Privacy notice version {version}. Your decision is recorded against exactly this text.",
        "Datenschutzhinweise in Version {version}. Ihre Entscheidung wird zu genau diesem Text "
        "festgehalten.",
    ),
    "your_choice": ("Your choice", "Ihre Wahl"),
    "choice_grant": (
        "Agree: {controller} may use your data for this purpose as described above.",
        "Einwilligen: {controller} darf Ihre Daten für diesen Zweck so verwenden, wie oben "
        "beschrieben.",
    ),
    "choice_explicit": (
        "This purpose needs your explicit consent. Please tick each kind of data you agree to:",
        "Für diesen Zweck brauchen wir Ihre ausdrückliche Einwilligung. Bitte kreuzen Sie jede "
        "Art von Daten an, der Sie zustimmen:",
    ),
    "choice_withdraw": (
        "Withdraw: your data is no longer used for this purpose from now on.",
        "Widerrufen: Ihre Daten werden ab jetzt nicht mehr für diesen Zweck verwendet.",
    ),
    "choice_object": (
        "Object: you object to this use of your data (GDPR Art. 21), whatever its legal "
        "basis; it stops from now on.",
        "Widersprechen: Sie widersprechen dieser Verwendung Ihrer Daten (Art. 21 DSGVO), "
        "gleich auf welcher Rechtsgrundlage; sie endet ab jetzt.",
    ),
    "choice_applies": (
        "Each choice applies from the next use of your data. Datasets that already hold your "
        "posts are marked out of date and rebuilt without them.",
        "Jede Wahl gilt ab der nächsten Verwendung Ihrer Daten. Datensätze, die Ihre Beiträge "
        "schon enthalten, werden als veraltet markiert und ohne sie neu erstellt.",
    ),
    "button_grant": ("Agree", "Einwilligen"),
    "button_withdraw": ("Withdraw consent", "Einwilligung widerrufen"),
    "button_object": ("Object", "Widersprechen"),
    "done_grant": (
        "Thank you: your consent is recorded.",
        "Danke: Ihre Einwilligung ist festgehalten.",
    ),
    "done_withdraw": (
        "Your consent is withdrawn. Your data is no longer used for this purpose.",
        "Ihre Einwilligung ist widerrufen. Ihre Daten werden nicht mehr für diesen Zweck "
        "verwendet.",
    ),
    "done_object": (
        "Your objection is recorded. Your data is no longer used for this purpose.",
        "Ihr Widerspruch ist festgehalten. Ihre Daten werden nicht mehr für diesen Zweck "
        "verwendet.",
    ),
    "back_to_overview": ("Back to the overview", "Zurück zur Übersicht"),
    "notice_changed": (
        "The privacy notice changed while you were reading it. Please read it again, then decide.",
        "Die Datenschutzhinweise haben sich geändert, während Sie sie gelesen haben. Bitte "
        "lesen Sie sie noch einmal und entscheiden Sie dann.",
    ),
    "explicit_incomplete": (
        "To agree, please tick each kind of data the consent covers.",
        "Um einzuwilligen, kreuzen Sie bitte jede Art von Daten an, die die Einwilligung umfasst.",
    ),
}

_RIGHTS: dict[str, tuple[str, str]] = {
    "export_title": ("Download your data", "Ihre Daten herunterladen"),
    "export_intro": (
        "You get one ZIP file with everything we store about you:",
        "Sie erhalten eine ZIP-Datei mit allem, was wir über Sie speichern:",
    ),
    "export_profile": (
        "your profile: member id, username, birth date and country;",
        "Ihr Profil: Mitglieds-ID, Benutzername, Geburtsdatum und Land;",
    ),
    "export_data": (
        "your posts, messages and profile entries, sorted by kind;",
        "Ihre Beiträge, Nachrichten und Profilangaben, nach Art geordnet;",
    ),
    "export_decisions": (
        "every decision you took, with the privacy notice version you saw;",
        "jede Ihrer Entscheidungen, mit der Version der Datenschutzhinweise, die Sie gesehen "
        "haben;",
    ),
    "export_uses": (
        "who used your data, the datasets that hold your posts, and who received anything.",
        "wer Ihre Daten verwendet hat, welche Datensätze Ihre Beiträge enthalten und wer etwas "
        "erhalten hat.",
    ),
    "export_format": (
        "The files are JSON, which other services can read; a README in the file explains "
        "each one.",
        "Die Dateien sind im JSON-Format, das andere Dienste lesen können; eine README in der "
        "Datei erklärt jede einzelne.",
    ),
    "export_button": ("Download my data (ZIP)", "Meine Daten herunterladen (ZIP)"),
    "erase_title": ("Erase your data", "Ihre Daten löschen"),
    "erase_intro": (
        "{controller} erases your account and everything stored about you. This cannot be undone.",
        "{controller} löscht Ihr Konto und alles, was über Sie gespeichert ist. Das lässt sich "
        "nicht rückgängig machen.",
    ),
    "erase_gone": ("What is erased", "Was gelöscht wird"),
    "erase_gone_profile": (
        "your profile: member id, username, birth date and country;",
        "Ihr Profil: Mitglieds-ID, Benutzername, Geburtsdatum und Land;",
    ),
    "erase_gone_records": (
        "all your posts, messages and profile entries;",
        "alle Ihre Beiträge, Nachrichten und Profilangaben;",
    ),
    "erase_gone_account": (
        "your sign-in to this privacy center;",
        "Ihre Anmeldung zu diesem Datenschutz-Center;",
    ),
    "erase_gone_datasets": (
        "your posts in datasets: those datasets are marked out of date and rebuilt without "
        "them, and models trained on them are marked for retraining.",
        "Ihre Beiträge in Datensätzen: Diese Datensätze werden als veraltet markiert und ohne "
        "sie neu erstellt, darauf trainierte Modelle werden zum Neutrainieren markiert.",
    ),
    "erase_kept": ("What is kept, and why", "Was bleibt, und warum"),
    "erase_kept_decisions": (
        "your consent decisions, as proof of what you agreed to and when; they name you only "
        "by a code that nothing links to you once you are erased;",
        "Ihre Entscheidungen zur Einwilligung, als Nachweis, wozu Sie wann eingewilligt haben; "
        "sie nennen Sie nur mit einem Code, den nach der Löschung nichts mehr mit Ihnen "
        "verbindet;",
    ),
    "erase_kept_log": (
        "the record of who used data and when, under that same code;",
        "das Protokoll, wer wann Daten verwendet hat, unter demselben Code;",
    ),
    "erase_kept_tombstones": (
        "a fingerprint of your member id and of each of your posts, so that a later import of "
        "the same data is refused instead of bringing it back.",
        "ein Fingerabdruck Ihrer Mitglieds-ID und jedes Ihrer Beiträge, damit ein späterer "
        "Import derselben Daten abgelehnt wird, statt sie zurückzubringen.",
    ),
    "erase_copy_first": (
        "Want to keep a copy? Download your data first:",
        "Möchten Sie eine Kopie behalten? Laden Sie Ihre Daten vorher herunter:",
    ),
    "erase_confirm": (
        "I understand that my account and my data are erased for good.",
        "Ich verstehe, dass mein Konto und meine Daten endgültig gelöscht werden.",
    ),
    "erase_button": ("Erase my data", "Meine Daten löschen"),
    "erase_unconfirmed": (
        "Nothing was erased: please tick the box to confirm first.",
        "Es wurde nichts gelöscht: Bitte bestätigen Sie zuerst mit dem Häkchen.",
    ),
    "erased_title": ("Your data is erased", "Ihre Daten sind gelöscht"),
    "erased_records": ("We erased {n} items:", "Wir haben {n} Einträge gelöscht:"),
    "erased_records.one": ("We erased {n} item:", "Wir haben {n} Eintrag gelöscht:"),
    "erased_snapshots": (
        "{n} datasets held your posts; they are marked out of date and will be rebuilt "
        "without them.",
        "{n} Datensätze enthielten Ihre Beiträge; sie sind als veraltet markiert und werden "
        "ohne sie neu erstellt.",
    ),
    "erased_snapshots.one": (
        "{n} dataset held your posts; it is marked out of date and will be rebuilt without them.",
        "{n} Datensatz enthielt Ihre Beiträge; er ist als veraltet markiert und wird ohne sie "
        "neu erstellt.",
    ),
    "erased_models": (
        "{n} models were trained on them and are marked for retraining.",
        "{n} Modelle wurden damit trainiert und sind zum Neutrainieren markiert.",
    ),
    "erased_models.one": (
        "{n} model was trained on them and is marked for retraining.",
        "{n} Modell wurde damit trainiert und ist zum Neutrainieren markiert.",
    ),
    "erased_kept": (
        "Kept, as proof: your consent decisions and the record of who used data, under a code "
        "that nothing links to you any more.",
        "Als Nachweis bleiben: Ihre Entscheidungen zur Einwilligung und das Protokoll, wer "
        "Daten verwendet hat, unter einem Code, den nichts mehr mit Ihnen verbindet.",
    ),
    "erased_signed_out": (
        "You are signed out, and your account is gone. Goodbye.",
        "Sie sind abgemeldet, und Ihr Konto ist gelöscht. Auf Wiedersehen.",
    ),
}

_ADMIN: dict[str, tuple[str, str]] = {
    "nav_admin": ("Overview", "Übersicht"),
    "nav_datamap": ("Data map", "Datenlandkarte"),
    "nav_policy": ("Policy", "Richtlinie"),
    "nav_snapshots": ("Snapshots", "Datensätze"),
    "nav_models": ("Models", "Modelle"),
    "nav_audit": ("Audit log", "Prüfprotokoll"),
    "nav_notice": ("Privacy notice", "Datenschutzhinweise"),
    "admin_title": ("Admin view", "Verwaltung"),
    "admin_intro": (
        "How personal data is governed here. These pages never show a member's data.",
        "Wie hier mit personenbezogenen Daten umgegangen wird. Diese Seiten zeigen nie die "
        "Daten eines Mitglieds.",
    ),
    "admin_datamap": (
        "which stored field holds which kind of data, and which purpose may use it on which "
        "legal basis",
        "welches gespeicherte Feld welche Art von Daten enthält, und welcher Zweck sie auf "
        "welcher Rechtsgrundlage verwenden darf",
    ),
    "admin_policy": (
        "the policy the gate enforces, as written, and its digest",
        "die Richtlinie, die das Gate durchsetzt, im Wortlaut, und ihr Hashwert",
    ),
    "admin_snapshots": (
        "built datasets, and which are out of date because members withdrew, objected or "
        "were erased",
        "erstellte Datensätze, und welche veraltet sind, weil Mitglieder widerrufen, "
        "widersprochen haben oder gelöscht wurden",
    ),
    "admin_models": (
        "registered models, and which need retraining",
        "registrierte Modelle, und welche neu trainiert werden müssen",
    ),
    "admin_audit": (
        "every use of personal data, and whether the log and the consent ledger are intact",
        "jede Verwendung personenbezogener Daten, und ob das Protokoll und das "
        "Einwilligungsregister unverändert sind",
    ),
    "admin_notice": (
        "the privacy notice members read, generated from the policy",
        "die Datenschutzhinweise, die Mitglieder lesen, aus der Richtlinie erzeugt",
    ),
    "datamap_intro": (
        "Generated from the store's data map and the policy: what the gate enforces.",
        "Erzeugt aus der Datenlandkarte des Speichers und der Richtlinie: das, was das Gate "
        "durchsetzt.",
    ),
    "datamap_profile": ("Member profiles", "Mitgliederprofile"),
    "datamap_column": ("Stored field", "Gespeichertes Feld"),
    "datamap_category": ("Kind of data", "Art der Daten"),
    "datamap_records": ("Records", "Einträge"),
    "datamap_records_intro": (
        "Posts, messages and profile entries are stored in records.text and records.data; "
        "each record carries one of these kinds of data.",
        "Beiträge, Nachrichten und Profilangaben stehen in records.text und records.data; "
        "jeder Eintrag trägt eine dieser Arten von Daten.",
    ),
    "datamap_used_by": ("May be used for", "Darf verwendet werden für"),
    "datamap_no_purpose": ("no purpose", "keinen Zweck"),
    "datamap_processing": (
        "Records of processing (GDPR Art. 30)",
        "Verzeichnis von Verarbeitungstätigkeiten (Art. 30 DSGVO)",
    ),
    "datamap_processing_intro": (
        "One row per purpose and kind of data, as the privacy notice version {version} states.",
        "Eine Zeile je Zweck und Art der Daten, wie in den Datenschutzhinweisen in Version "
        "{version}.",
    ),
    "datamap_basis": ("Legal basis", "Rechtsgrundlage"),
    "datamap_recipients": ("Recipients", "Empfänger"),
    "datamap_retention": ("Kept for", "Aufbewahrung"),
    "policy_file": ("File", "Datei"),
    "policy_shipped": (
        "the default policy shipped with purposely",
        "die mit purposely ausgelieferte Standardrichtlinie",
    ),
    "policy_digest": (
        "Digest (what snapshots and answers name)",
        "Hashwert (in Datensätzen und Antworten genannt)",
    ),
    "policy_changed": (
        "The file has changed since the server started (or no longer passes its checks): "
        "the server still enforces the policy it loaded. Restart it to enforce the file.",
        "Die Datei hat sich seit dem Start des Servers geändert (oder besteht ihre Prüfung "
        "nicht mehr): Der Server setzt weiter die geladene Richtlinie durch. Starten Sie ihn "
        "neu, um die Datei durchzusetzen.",
    ),
    "policy_unreadable": (
        "The policy file can no longer be read. The server still enforces the policy it "
        "loaded when it started.",
        "Die Richtliniendatei lässt sich nicht mehr lesen. Der Server setzt weiter die "
        "Richtlinie durch, die er beim Start geladen hat.",
    ),
    "snapshots_intro": (
        "A snapshot is out of date when the gate would no longer release some of its samples: "
        "a member withdrew or objected, a post was deleted or turned private, a member was "
        "erased. Rebuilding it drops those samples.",
        "Ein Datensatz ist veraltet, wenn das Gate einige seiner Beispiele nicht mehr "
        "freigeben würde: Ein Mitglied hat widerrufen oder widersprochen, ein Beitrag wurde "
        "gelöscht oder auf privat gestellt, ein Mitglied wurde gelöscht. Neu erstellt, fehlen "
        "diese Beispiele.",
    ),
    "snapshots_none": (
        "No snapshots yet. `purposely dataset build PURPOSE --out DIR` builds one.",
        "Noch keine Datensätze. `purposely dataset build PURPOSE --out DIR` erstellt einen.",
    ),
    "snapshot": ("Snapshot", "Datensatz"),
    "created": ("Built (UTC)", "Erstellt (UTC)"),
    "samples": ("Samples", "Beispiele"),
    "state": ("State", "Zustand"),
    "state_ready": ("up to date", "aktuell"),
    "state_stale": ("out of date", "veraltet"),
    "stale_samples": ("{why}: {n}", "{why}: {n}"),
    "rebuild_hint": ("Rebuild it without them:", "Ohne sie neu erstellen:"),
    "rebuilt_from": ("rebuilt from {parent}", "neu erstellt aus {parent}"),
    "trained_models": ("models trained on it: {names}", "darauf trainierte Modelle: {names}"),
    "models_intro": (
        "A model needs retraining when a snapshot it was trained on is out of date.",
        "Ein Modell muss neu trainiert werden, wenn ein Datensatz, mit dem es trainiert wurde, "
        "veraltet ist.",
    ),
    "models_none": (
        "No models registered. `purposely model register NAME --trained-on SNAPSHOT` adds one.",
        "Keine Modelle registriert. `purposely model register NAME --trained-on SNAPSHOT` "
        "fügt eines hinzu.",
    ),
    "model": ("Model", "Modell"),
    "trained_on": ("Trained on", "Trainiert mit"),
    "registered": ("registered {date} by {by}", "registriert am {date} von {by}"),
    "needs_retraining": ("needs retraining", "muss neu trainiert werden"),
    "model_current": ("current", "aktuell"),
    "audit_intro": (
        "Every question to the gate, every disclosure to a member and every erasure leaves "
        "one event here. Events and consent decisions are hash-chained: changing or removing "
        "one breaks the chain.",
        "Jede Frage an das Gate, jede Auskunft an ein Mitglied und jede Löschung hinterlässt "
        "hier ein Ereignis. Ereignisse und Einwilligungen sind per Hash verkettet: Wer eines "
        "ändert oder entfernt, bricht die Kette.",
    ),
    "audit_check": ("Chain check", "Prüfung der Ketten"),
    "audit_verified": ("Verified.", "Geprüft."),
    "audit_verified_text": (
        "Both chains are intact. Entries checked: {ledger} in the consent ledger, {events} in "
        "the audit log.",
        "Beide Ketten sind unverändert. Geprüfte Einträge: {ledger} im "
        "Einwilligungsregister, {events} im Prüfprotokoll.",
    ),
    "audit_broken": ("Broken.", "Beschädigt."),
    "audit_broken_text": (
        "Someone changed or removed entries after they were written. The first broken entry:",
        "Jemand hat Einträge nach dem Schreiben geändert oder entfernt. Der erste beschädigte "
        "Eintrag:",
    ),
    "chain_ledger": ("consent ledger", "Einwilligungsregister"),
    "chain_audit": ("audit log", "Prüfprotokoll"),
    "audit_entry": ("entry {seq}", "Eintrag {seq}"),
    "audit_recent": ("The latest {n} events", "Die letzten {n} Ereignisse"),
    "audit_recent.one": ("The latest event", "Das letzte Ereignis"),
    "audit_none": ("No events yet.", "Noch keine Ereignisse."),
    "when_utc": ("When (UTC)", "Wann (UTC)"),
    "who": ("Who", "Wer"),
    "action": ("What", "Was"),
    "records": ("Records", "Einträge"),
    "subjects": ("Members", "Mitglieder"),
    "withheld": ("Withheld", "Zurückgehalten"),
    "watermark": ("Ledger position", "Registerstand"),
    "admin_notice_version": ("Version {version}.", "Version {version}."),
    "admin_notice_public": (
        "Members read it at /notice and, per purpose, in their privacy center.",
        "Mitglieder lesen sie unter /notice und, je Zweck, in ihrem Datenschutz-Center.",
    ),
}

# Why a snapshot's samples went stale: the gate's reasons, plus erasure and deletion.
_REASONS: dict[str, tuple[str, str]] = {
    "reason.withdrawn": ("the member withdrew consent", "Einwilligung widerrufen"),
    "reason.objected": ("the member objected", "Widerspruch eingelegt"),
    "reason.no_consent": ("no consent", "keine Einwilligung"),
    "reason.erased": ("the member was erased", "Mitglied gelöscht"),
    "reason.deleted": ("the post was deleted", "Beitrag gelöscht"),
    "reason.private": ("the post is private now", "Beitrag jetzt privat"),
    "reason.minor": ("the member is a minor", "Mitglied minderjährig"),
    "reason.no_legal_basis": ("no legal basis", "keine Rechtsgrundlage"),
    "reason.category_not_allowed": (
        "the policy no longer allows this kind of data",
        "die Richtlinie erlaubt diese Art von Daten nicht mehr",
    ),
}

WORDS: dict[str, tuple[str, str]] = {
    **_COMMON,
    **_SIGN_IN,
    **_MEMBER,
    **_RIGHTS,
    **_ADMIN,
    **_REASONS,
}


def word(key: str, lang: Lang, **values: object) -> str:
    """The words for ``key`` in ``lang``, with ``values`` filled in."""
    try:
        english, german = WORDS[key]
    except KeyError:
        raise KeyError(f"no words for {key!r} in purposely.api.words") from None
    return (german if lang == "de" else english).format(**values)


def words_for_count(key: str, n: int, lang: Lang) -> str:
    """The words for ``key`` about ``n`` things: the singular ``key.one`` when ``n`` is 1 and
    there is one (German and English both mark only the singular)."""
    one = f"{key}.one"
    return word(one if n == 1 and one in WORDS else key, lang, n=n)


def reason_words(reason: str, lang: Lang) -> str:
    """Why a sample went stale, in words; a reason without words shows as it is."""
    key = f"reason.{reason}"
    return word(key, lang) if key in WORDS else reason
