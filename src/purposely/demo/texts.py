"""Word lists and templates for the demo platform, in German and English.

The generator in :mod:`purposely.demo.platform` composes every text from these pieces with a
seeded random generator; nothing here is a finished post. Names, companies, schools and
streets are common or invented; e-mail domains are the reserved ``example`` ones.

Templates use ``str.format`` slots filled by the generator: ``{topic}``, ``{food}``,
``{place}``, ``{city}``, ``{day}``, ``{thing}``, ``{feeling}``, ``{event}``, ``{book}``,
``{number}`` and, in the templates that carry personal data, ``{email}``, ``{phone}``,
``{iban}`` and ``{address}``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final, Literal

Lang = Literal["de", "en"]
Gender = Literal["f", "m"]

# --- people ------------------------------------------------------------------------------------

# First names per naming region, each with the grammatical gender used for German job titles.
FIRST_NAMES: Final[dict[str, tuple[tuple[str, Gender], ...]]] = {
    "de": (
        ("Lena", "f"), ("Mia", "f"), ("Hannah", "f"), ("Sophie", "f"), ("Lea", "f"),
        ("Anna", "f"), ("Julia", "f"), ("Katrin", "f"), ("Sabine", "f"), ("Jana", "f"),
        ("Franziska", "f"), ("Greta", "f"), ("Ayşe", "f"), ("Özlem", "f"), ("Marie", "f"),
        ("Lukas", "m"), ("Jonas", "m"), ("Felix", "m"), ("Leon", "m"), ("Paul", "m"),
        ("Maximilian", "m"), ("Tobias", "m"), ("Jan", "m"), ("Stefan", "m"), ("Jürgen", "m"),
        ("Mehmet", "m"), ("Niklas", "m"), ("Florian", "m"), ("Matthias", "m"), ("Moritz", "m"),
    ),
    "fr": (
        ("Camille", "f"), ("Léa", "f"), ("Chloé", "f"), ("Manon", "f"), ("Inès", "f"),
        ("Hugo", "m"), ("Louis", "m"), ("Théo", "m"), ("Mathis", "m"), ("Antoine", "m"),
    ),
    "it": (
        ("Giulia", "f"), ("Francesca", "f"), ("Chiara", "f"), ("Sara", "f"),
        ("Marco", "m"), ("Luca", "m"), ("Alessandro", "m"), ("Matteo", "m"),
    ),
    "es": (
        ("Lucía", "f"), ("Carmen", "f"), ("Paula", "f"), ("Elena", "f"),
        ("Javier", "m"), ("Pablo", "m"), ("Diego", "m"), ("Álvaro", "m"),
    ),
    "nl": (
        ("Emma", "f"), ("Sanne", "f"), ("Fleur", "f"), ("Daan", "m"), ("Sem", "m"),
        ("Bram", "m"), ("Jesse", "m"),
    ),
    "pl": (
        ("Zofia", "f"), ("Agnieszka", "f"), ("Katarzyna", "f"), ("Piotr", "m"),
        ("Krzysztof", "m"), ("Tomasz", "m"),
    ),
    "nordic": (
        ("Astrid", "f"), ("Ingrid", "f"), ("Elsa", "f"), ("Erik", "m"), ("Lars", "m"),
        ("Oskar", "m"), ("Mikael", "m"),
    ),
    "en": (
        ("Olivia", "f"), ("Emily", "f"), ("Grace", "f"), ("Chloe", "f"), ("Jessica", "f"),
        ("Sarah", "f"), ("Megan", "f"), ("Ashley", "f"), ("Oliver", "m"), ("Jack", "m"),
        ("Harry", "m"), ("James", "m"), ("Michael", "m"), ("Daniel", "m"), ("Ethan", "m"),
        ("Tyler", "m"),
    ),
    "pt": (
        ("Ana", "f"), ("Beatriz", "f"), ("Larissa", "f"), ("João", "m"), ("Gabriel", "m"),
        ("Rafael", "m"),
    ),
    "in": (
        ("Priya", "f"), ("Ananya", "f"), ("Divya", "f"), ("Arjun", "m"), ("Rahul", "m"),
        ("Vikram", "m"),
    ),
    "jp": (("Yui", "f"), ("Haruka", "f"), ("Sakura", "f"), ("Haruto", "m"), ("Ren", "m")),
    "ng": (("Chiamaka", "f"), ("Ngozi", "f"), ("Adaeze", "f"), ("Emeka", "m"), ("Tunde", "m")),
    "world": (
        ("Amina", "f"), ("Sofia", "f"), ("Nadia", "f"), ("Omar", "m"), ("Ali", "m"),
        ("Mateo", "m"),
    ),
}  # fmt: skip

LAST_NAMES: Final[dict[str, tuple[str, ...]]] = {
    "de": (
        "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
        "Schulz", "Hoffmann", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann",
        "Schwarz", "Zimmermann", "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Kaya",
        "Yılmaz",  # noqa: RUF001 (a Turkish name: the dotless i is right)
        "Nowak", "Huber", "Gruber", "Brunner", "Keller",
    ),
    "fr": ("Martin", "Bernard", "Dubois", "Laurent", "Moreau", "Lefèvre", "Girard", "Roux"),
    "it": ("Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci"),
    "es": ("García", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Ruiz"),
    "nl": ("de Jong", "Jansen", "de Vries", "van Dijk", "Bakker", "Visser", "Smit"),
    "pl": ("Kowalski", "Wiśniewski", "Wójcik", "Kamiński", "Lewandowski", "Zieliński"),
    "nordic": ("Andersson", "Johansson", "Karlsson", "Nilsson", "Hansen", "Larsen", "Berg"),
    "en": (
        "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
        "Miller", "Davis", "Clarke", "Walker", "Wright", "Robinson", "Thompson", "Evans",
    ),
    "pt": ("Silva", "Santos", "Oliveira", "Souza", "Costa", "Pereira", "Almeida"),
    "in": ("Sharma", "Patel", "Iyer", "Reddy", "Gupta", "Nair", "Singh"),
    "jp": ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito"),
    "ng": ("Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Nwosu"),
    "world": ("Haddad", "Rahman", "Hassan", "Kim", "Nguyen", "Rodríguez", "Mensah"),
}  # fmt: skip


@dataclass(frozen=True)
class Country:
    """Where a member lives: its share of members, naming region, language and cities."""

    code: str | None
    weight: float
    names: str
    german: bool
    cities: tuple[str, ...]


# Shares sum to 100: about a third in Germany, a quarter elsewhere in the EU/EEA, the UK and
# Switzerland, a fifth in the US and Canada, the rest elsewhere or unknown.
COUNTRIES: Final[tuple[Country, ...]] = (
    Country("DE", 34, "de", True, (
        "Berlin", "Hamburg", "München", "Köln", "Frankfurt am Main", "Leipzig", "Stuttgart",
        "Dresden", "Düsseldorf", "Bremen", "Nürnberg", "Freiburg", "Münster", "Kiel",
    )),
    Country("AT", 4, "de", True, ("Wien", "Graz", "Linz", "Salzburg", "Innsbruck")),
    Country("CH", 4, "de", True, ("Zürich", "Bern", "Basel", "Luzern", "St. Gallen")),
    Country("FR", 4, "fr", False, ("Paris", "Lyon", "Marseille", "Toulouse", "Lille")),
    Country("NL", 3, "nl", False, ("Amsterdam", "Rotterdam", "Utrecht", "Eindhoven")),
    Country("IT", 3, "it", False, ("Milano", "Roma", "Torino", "Bologna")),
    Country("ES", 3, "es", False, ("Madrid", "Barcelona", "Valencia", "Sevilla")),
    Country("PL", 3, "pl", False, ("Warszawa", "Kraków", "Wrocław", "Gdańsk")),
    Country("SE", 2, "nordic", False, ("Stockholm", "Göteborg", "Malmö")),
    Country("DK", 1, "nordic", False, ("København", "Aarhus")),
    Country("NO", 1, "nordic", False, ("Oslo", "Bergen")),
    Country("IE", 1, "en", False, ("Dublin", "Cork")),
    Country("GB", 6, "en", False, ("London", "Manchester", "Bristol", "Edinburgh", "Leeds")),
    Country("US", 13, "en", False, (
        "New York", "San Francisco", "Chicago", "Austin", "Seattle", "Boston", "Denver",
    )),
    Country("CA", 3, "en", False, ("Toronto", "Vancouver", "Montréal")),
    Country("BR", 3, "pt", False, ("São Paulo", "Rio de Janeiro", "Belo Horizonte")),
    Country("IN", 3, "in", False, ("Bengaluru", "Mumbai", "Pune", "Hyderabad")),
    Country("JP", 2, "jp", False, ("Tokyo", "Osaka", "Kyoto")),
    Country("NG", 2, "ng", False, ("Lagos", "Abuja")),
    Country("AU", 1, "en", False, ("Sydney", "Melbourne")),
    Country("MX", 1, "world", False, ("Ciudad de México", "Guadalajara")),
    Country("KR", 1, "world", False, ("Seoul", "Busan")),
    Country("TR", 1, "world", False, ("İstanbul", "Ankara")),
    Country(None, 3, "world", False, ()),
)  # fmt: skip

# --- posts -------------------------------------------------------------------------------------

POST_TEMPLATES: Final[dict[Lang, tuple[str, ...]]] = {
    "de": (
        "Endlich {day}! Heute gibt es {food} und danach {thing}.",
        "Kann mir jemand ein gutes Buch über {topic} empfehlen? Gerade {book} durch.",
        "Die Bahn hat mal wieder {number} Minuten Verspätung. {feeling}",
        "Heute in {city} unterwegs gewesen, {place} ist wirklich schön geworden.",
        "Wer kommt mit zum {event} am {day}? Ich bringe {food} mit.",
        "Mein Lieblingsplatz in {city}: {place}. Ruhig, sonnig, perfekt zum Lesen.",
        "{feeling} Der Vortrag über {topic} war besser als erwartet.",
        "Kleiner Tipp für alle, die mit {topic} anfangen: klein starten, oft üben.",
        "Seit {number} Tagen jeden Morgen {thing}. Es wird langsam zur Gewohnheit.",
        "Neue Woche, neues Glück. Heute steht {topic} auf dem Plan.",
        "Das Wetter in {city} ist heute unschlagbar. Ab an {place}!",
        "Hat jemand Erfahrung mit {topic}? Ich bin für jeden Hinweis dankbar.",
        "Gerade {book} fertig gelesen. Absolute Empfehlung!",
        "Wir suchen noch Leute für unser Projekt rund um {topic}. Meldet euch!",
        "{food} selbst gemacht, zum ersten Mal. {feeling}",
        "Heute {number} Kilometer mit dem Rad gefahren. Die Beine sagen Nein, der Kopf Ja.",
        "Gestern beim {event} in {city} gewesen. Tolle Stimmung, nette Leute.",
        "Kurze Frage in die Runde: Wo gibt es in {city} das beste {food}?",
        "Ich habe angefangen, mich mit {topic} zu beschäftigen. Wo fange ich am besten an?",
        "Feierabend. Jetzt noch {thing} und dann früh ins Bett.",
        "Mein Fazit nach {number} Monaten {topic}: lohnt sich.",
        "Wer war auch beim {event}? Ich fand den zweiten Teil am stärksten.",
        "Kleiner Erfolg heute: {thing} vor dem Frühstück erledigt.",
        "Unser Team hat heute ein Release rausgebracht. Danke an alle für die Geduld!",
    ),
    "en": (
        "Finally {day}! Having {food} for lunch and then {thing}.",
        "Can anyone recommend a good book on {topic}? Just finished {book}.",
        "Train delayed by {number} minutes again. {feeling}",
        "Spent the day in {city}, {place} looks amazing after the renovation.",
        "Who's coming to the {event} on {day}? I'll bring {food}.",
        "My favourite spot in {city}: {place}. Quiet, sunny, perfect for reading.",
        "{feeling} The talk on {topic} was better than I expected.",
        "Quick tip for anyone starting with {topic}: start small, practise often.",
        "{number} days in a row of {thing} every morning. It's becoming a habit.",
        "New week, fresh start. Today it's all about {topic}.",
        "The weather in {city} is unbeatable today. Off to {place}!",
        "Anyone with experience in {topic}? Any pointers welcome.",
        "Just finished {book}. Highly recommend!",
        "We're looking for people to join our project on {topic}. Get in touch!",
        "Made {food} from scratch for the first time. {feeling}",
        "Cycled {number} km today. My legs say no, my head says yes.",
        "Went to the {event} in {city} yesterday. Great vibe, lovely people.",
        "Quick question: where's the best {food} in {city}?",
        "I've started learning about {topic}. Where should I begin?",
        "Done for the day. Now {thing} and an early night.",
        "My verdict after {number} months of {topic}: worth it.",
        "Anyone else at the {event}? The second half was the best part.",
        "Small win today: {thing} done before breakfast.",
        "Our team shipped a release today. Thanks everyone for the patience!",
    ),
}  # fmt: skip

# Posts that carry personal data, so a redaction step has something to find.
PII_POST_TEMPLATES: Final[dict[Lang, tuple[str, ...]]] = {
    "de": (
        "Verschenke ein Sofa, Abholung in {city}. Bei Interesse: {phone}",
        "Schreibt mir gern direkt an {email}, ich antworte heute Abend.",
        "Spenden für das Tierheim bitte an {iban}, Verwendungszweck Katzenfutter. Danke!",
        "Flohmarkt im Hof am {day}: {address}, ab 10 Uhr. Kommt vorbei!",
        "Neue Nummer, gleiche Person: {phone}",
        "Für die Mitfahrgelegenheit nach {city} bitte bis Freitag an {iban} überweisen.",
        "Wir sind umgezogen! Post ab sofort an {address}.",
        "Wer Fragen zum Workshop über {topic} hat: {email} oder {phone}.",
    ),
    "en": (
        "Giving away a sofa, pick-up in {city}. Call or text {phone}",
        "Feel free to email me at {email}, I'll reply tonight.",
        "Donations for the animal shelter to {iban}, reference cat food. Thank you!",
        "Yard sale on {day} at {address}, from 10am. Come by!",
        "New number, same me: {phone}",
        "For the car share to {city} please transfer to {iban} by Friday.",
        "We've moved! Send mail to {address} from now on.",
        "Questions about the {topic} workshop? {email} or {phone}.",
    ),
}  # fmt: skip

FILLERS: Final[dict[Lang, dict[str, tuple[str, ...]]]] = {
    "de": {
        "day": ("Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"),
        "food": (
            "Käsespätzle", "Kartoffelsuppe", "Apfelstrudel", "Linsen mit Spätzle", "Pizza",
            "Ramen", "Pflaumenkuchen", "Falafel", "Brezeln", "Rote Grütze",
        ),
        "thing": (
            "eine Runde joggen", "Yoga", "die Steuererklärung", "Gitarre üben",
            "den Balkon bepflanzen", "ein Podcast", "Vokabeln lernen", "Fahrrad reparieren",
        ),
        "topic": (
            "Datenschutz", "Machine Learning", "Gartenarbeit", "Fotografie", "Python",
            "Pflege im Krankenhaus", "Klimapolitik", "Brotbacken", "Barrierefreiheit",
            "Elternzeit", "Open Source", "Bewerbungstraining",
        ),
        "place": (
            "der Stadtpark", "das Ufer am Fluss", "die Altstadt", "der Wochenmarkt",
            "die neue Bibliothek", "der Botanische Garten", "das Freibad",
        ),
        "feeling": (
            "Ich kann nicht mehr.", "Herrlich!", "Was für ein Tag.", "Ich freue mich riesig.",
            "Na gut.", "Läuft bei mir.", "Ganz ehrlich: super.",
        ),
        "event": (
            "Sommerfest", "Meetup", "Konzert", "Stadtlauf", "Lesekreis", "Hackathon",
            "Weihnachtsmarkt", "Repair-Café",
        ),
        "book": (
            "„Der Vorleser“", "„Die Vermessung der Welt“", "„Tschick“", "„Momo“",
            "„Unterleuten“", "„Qualityland“",
        ),
    },
    "en": {
        "day": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
        "food": (
            "banana bread", "pad thai", "fish and chips", "lentil soup", "pizza", "ramen",
            "apple pie", "falafel", "tacos", "pancakes",
        ),
        "thing": (
            "a quick run", "yoga", "my tax return", "guitar practice", "repotting plants",
            "a podcast", "language practice", "fixing my bike",
        ),
        "topic": (
            "privacy", "machine learning", "gardening", "photography", "Python",
            "nursing", "climate policy", "sourdough", "accessibility", "parental leave",
            "open source", "job interviews",
        ),
        "place": (
            "the city park", "the riverside", "the old town", "the farmers' market",
            "the new library", "the botanical garden", "the lido",
        ),
        "feeling": (
            "I'm done.", "Lovely!", "What a day.", "So excited.", "Oh well.",
            "Living my best life.", "Honestly: great.",
        ),
        "event": (
            "summer fair", "meetup", "concert", "fun run", "book club", "hackathon",
            "Christmas market", "repair café",
        ),
        "book": (
            "\"Project Hail Mary\"", "\"Educated\"", "\"The Overstory\"", "\"Klara and the Sun\"",
            "\"Piranesi\"", "\"The Ministry for the Future\"",
        ),
    },
}  # fmt: skip

HASHTAGS: Final[dict[Lang, tuple[str, ...]]] = {
    "de": (
        "Datenschutz", "Berlin", "Feierabend", "Wochenende", "Pflege", "KI", "OpenSource",
        "Fahrrad", "Kochen", "Buchtipp", "Ehrenamt", "Ausbildung", "Jobsuche", "Bahn",
    ),
    "en": (
        "privacy", "MondayMotivation", "weekend", "nursing", "AI", "OpenSource", "cycling",
        "cooking", "booktok", "volunteering", "career", "hiring", "coffee", "travel",
    ),
}  # fmt: skip

LINK_HOSTS: Final[tuple[str, ...]] = (
    "example.com", "blog.example.org", "news.example.net", "www.example.com",
)  # fmt: skip
LINK_PATHS: Final[tuple[str, ...]] = (
    "artikel", "post", "2024/rezept", "events", "podcast/folge", "read", "talks", "photos",
)  # fmt: skip

# --- messages ----------------------------------------------------------------------------------

MESSAGE_TEMPLATES: Final[dict[Lang, tuple[str, ...]]] = {
    "de": (
        "Hey, hast du am {day} Zeit für einen Kaffee?",
        "Danke nochmal für gestern, war richtig schön!",
        "Kannst du mir das Buch {book} leihen?",
        "Bin in {number} Minuten da.",
        "Wie lief das Vorstellungsgespräch?",
        "Schick mir mal das Rezept für {food} :)",
        "Treffen wir uns vor dem {event}?",
        "Alles Gute zum Geburtstag! Lass uns bald feiern.",
    ),
    "en": (
        "Hey, free for a coffee on {day}?",
        "Thanks again for yesterday, it was lovely!",
        "Could I borrow {book} from you?",
        "Be there in {number} minutes.",
        "How did the interview go?",
        "Send me the recipe for {food} please :)",
        "Shall we meet before the {event}?",
        "Happy birthday! Let's celebrate soon.",
    ),
}  # fmt: skip

PII_MESSAGE_TEMPLATES: Final[dict[Lang, tuple[str, ...]]] = {
    "de": (
        "Meine Nummer hat sich geändert: {phone}",
        "Meine private Mail ist {email}, schreib lieber dorthin.",
        "Die {number} Euro für das Konzert bitte an {iban}. Danke dir!",
        "Komm einfach vorbei: {address}, zweiter Stock.",
    ),
    "en": (
        "My number changed: {phone}",
        "My personal email is {email}, better write there.",
        "The {number} euros for the concert to {iban} please. Thanks!",
        "Just come round: {address}, second floor.",
    ),
}  # fmt: skip

# --- careers -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Occupation:
    """A line of work: job titles (German female, German male, English), skills, studies."""

    titles: tuple[tuple[str, str, str], ...]
    skills: dict[Lang, tuple[str, ...]]
    fields: dict[Lang, tuple[str, ...]]
    degrees: dict[Lang, tuple[str, ...]]


OCCUPATIONS: Final[tuple[Occupation, ...]] = (
    Occupation(
        titles=(
            ("Softwareentwicklerin", "Softwareentwickler", "Software Engineer"),
            ("Senior-Softwareentwicklerin", "Senior-Softwareentwickler",
             "Senior Software Engineer"),
            ("Backend-Entwicklerin", "Backend-Entwickler", "Backend Developer"),
            ("Teamleiterin Softwareentwicklung", "Teamleiter Softwareentwicklung",
             "Engineering Manager"),
        ),
        skills={
            "de": ("Python", "Java", "TypeScript", "SQL", "Git", "Docker", "Kubernetes",
                   "Agile Methoden", "Code-Reviews", "Testautomatisierung"),
            "en": ("Python", "Java", "TypeScript", "SQL", "Git", "Docker", "Kubernetes",
                   "Agile", "Code review", "Test automation"),
        },
        fields={"de": ("Informatik", "Wirtschaftsinformatik", "Medieninformatik"),
                "en": ("Computer Science", "Software Engineering", "Information Systems")},
        degrees={"de": ("B.Sc.", "M.Sc.", "Ausbildung Fachinformatik"),
                 "en": ("BSc", "MSc", "BEng")},
    ),
    Occupation(
        titles=(
            ("Datenanalystin", "Datenanalyst", "Data Analyst"),
            ("Data Engineer", "Data Engineer", "Data Engineer"),
            ("Data Scientist", "Data Scientist", "Data Scientist"),
        ),
        skills={
            "de": ("Python", "SQL", "Statistik", "Power BI", "Apache Spark", "Datenmodellierung",
                   "Maschinelles Lernen", "Datenvisualisierung"),
            "en": ("Python", "SQL", "Statistics", "Power BI", "Apache Spark", "Data modelling",
                   "Machine learning", "Data visualisation"),
        },
        fields={"de": ("Statistik", "Mathematik", "Data Science"),
                "en": ("Statistics", "Mathematics", "Data Science")},
        degrees={"de": ("B.Sc.", "M.Sc.", "Promotion"), "en": ("BSc", "MSc", "PhD")},
    ),
    Occupation(
        titles=(
            ("Pflegefachkraft", "Pflegefachkraft", "Nurse"),
            ("Gesundheits- und Krankenpflegerin", "Gesundheits- und Krankenpfleger",
             "Registered Nurse"),
            ("Stationsleitung", "Stationsleitung", "Ward Manager"),
            ("Intensivpflegerin", "Intensivpfleger", "Intensive Care Nurse"),
        ),
        skills={
            "de": ("Wundversorgung", "Pflegedokumentation", "Intensivpflege", "Medikamentengabe",
                   "Palliativpflege", "Notfallmanagement", "Hygienemanagement"),
            "en": ("Wound care", "Care documentation", "Intensive care", "Medication management",
                   "Palliative care", "Emergency response", "Infection control"),
        },
        fields={"de": ("Pflege", "Pflegewissenschaft"),
                "en": ("Nursing", "Adult Nursing")},
        degrees={"de": ("Ausbildung Pflegefachfrau/-mann", "B.A. Pflege"),
                 "en": ("BSc Nursing", "Diploma in Nursing")},
    ),
    Occupation(
        titles=(
            ("Grundschullehrerin", "Grundschullehrer", "Primary School Teacher"),
            ("Lehrerin für Mathematik", "Lehrer für Mathematik", "Maths Teacher"),
            ("Erzieherin", "Erzieher", "Early Years Educator"),
        ),
        skills={
            "de": ("Unterrichtsplanung", "Elternarbeit", "Inklusion", "Didaktik",
                   "Digitale Medien im Unterricht", "Konfliktlösung"),
            "en": ("Lesson planning", "Parent communication", "Inclusive education", "Didactics",
                   "Digital classroom tools", "Conflict resolution"),
        },
        fields={"de": ("Lehramt Grundschule", "Mathematik", "Sozialpädagogik"),
                "en": ("Primary Education", "Mathematics", "Early Childhood Education")},
        degrees={"de": ("Staatsexamen", "M.Ed.", "Ausbildung Erzieher/in"),
                 "en": ("BEd", "PGCE", "MA Education")},
    ),
    Occupation(
        titles=(
            ("UX-Designerin", "UX-Designer", "UX Designer"),
            ("Grafikdesignerin", "Grafikdesigner", "Graphic Designer"),
            ("Produktdesignerin", "Produktdesigner", "Product Designer"),
        ),
        skills={
            "de": ("Figma", "Nutzerforschung", "Prototyping", "Typografie", "Barrierefreiheit",
                   "Adobe Illustrator"),
            "en": ("Figma", "User research", "Prototyping", "Typography", "Accessibility",
                   "Adobe Illustrator"),
        },
        fields={"de": ("Kommunikationsdesign", "Interaktionsdesign"),
                "en": ("Communication Design", "Interaction Design")},
        degrees={"de": ("B.A.", "M.A."), "en": ("BA", "MA")},
    ),
    Occupation(
        titles=(
            ("Marketingmanagerin", "Marketingmanager", "Marketing Manager"),
            ("Social-Media-Managerin", "Social-Media-Manager", "Social Media Manager"),
            ("Content-Redakteurin", "Content-Redakteur", "Content Editor"),
        ),
        skills={
            "de": ("SEO", "Content-Strategie", "Kampagnenplanung", "Google Analytics",
                   "Texten", "Community-Management"),
            "en": ("SEO", "Content strategy", "Campaign planning", "Google Analytics",
                   "Copywriting", "Community management"),
        },
        fields={"de": ("Betriebswirtschaftslehre", "Medienwissenschaft", "Germanistik"),
                "en": ("Business Administration", "Media Studies", "English Literature")},
        degrees={"de": ("B.A.", "M.A.", "B.Sc. BWL"), "en": ("BA", "MA", "BBA")},
    ),
    Occupation(
        titles=(
            ("Buchhalterin", "Buchhalter", "Accountant"),
            ("Controllerin", "Controller", "Financial Controller"),
            ("Steuerfachangestellte", "Steuerfachangestellter", "Tax Assistant"),
        ),
        skills={
            "de": ("DATEV", "SAP FI", "Jahresabschluss", "Excel", "Kostenrechnung",
                   "Umsatzsteuer"),
            "en": ("Xero", "SAP FI", "Financial reporting", "Excel", "Cost accounting", "VAT"),
        },
        fields={"de": ("Betriebswirtschaftslehre", "Steuerrecht"),
                "en": ("Accounting", "Finance")},
        degrees={"de": ("B.A. BWL", "Ausbildung Steuerfachangestellte/r"),
                 "en": ("BSc Accounting", "ACCA")},
    ),
    Occupation(
        titles=(
            ("Maschinenbauingenieurin", "Maschinenbauingenieur", "Mechanical Engineer"),
            ("Mechatronikerin", "Mechatroniker", "Mechatronics Technician"),
            ("Projektingenieurin", "Projektingenieur", "Project Engineer"),
        ),
        skills={
            "de": ("CAD", "SolidWorks", "Qualitätsmanagement", "SPS-Programmierung",
                   "Lean Management", "Technisches Zeichnen"),
            "en": ("CAD", "SolidWorks", "Quality management", "PLC programming",
                   "Lean manufacturing", "Technical drawing"),
        },
        fields={"de": ("Maschinenbau", "Mechatronik", "Elektrotechnik"),
                "en": ("Mechanical Engineering", "Mechatronics", "Electrical Engineering")},
        degrees={"de": ("B.Eng.", "M.Sc.", "Ausbildung Mechatronik"),
                 "en": ("BEng", "MEng", "HND")},
    ),
    Occupation(
        titles=(
            ("Logistikerin", "Logistiker", "Logistics Coordinator"),
            ("Berufskraftfahrerin", "Berufskraftfahrer", "HGV Driver"),
            ("Lagerleiterin", "Lagerleiter", "Warehouse Manager"),
        ),
        skills={
            "de": ("Tourenplanung", "Staplerschein", "SAP MM", "Disposition", "Zollabwicklung"),
            "en": ("Route planning", "Forklift licence", "SAP MM", "Dispatching",
                   "Customs clearance"),
        },
        fields={"de": ("Logistik", "Spedition"), "en": ("Logistics", "Supply Chain Management")},
        degrees={"de": ("Ausbildung Fachkraft für Lagerlogistik", "B.A. Logistik"),
                 "en": ("BSc Logistics", "Certificate in Logistics")},
    ),
    Occupation(
        titles=(
            ("Köchin", "Koch", "Chef"),
            ("Restaurantleiterin", "Restaurantleiter", "Restaurant Manager"),
            ("Hotelfachfrau", "Hotelfachmann", "Hotel Receptionist"),
        ),
        skills={
            "de": ("Menüplanung", "HACCP", "Warenwirtschaft", "Gästebetreuung", "Patisserie"),
            "en": ("Menu planning", "HACCP", "Stock control", "Guest relations", "Pastry"),
        },
        fields={"de": ("Hotelfach", "Gastronomie"), "en": ("Hospitality", "Culinary Arts")},
        degrees={"de": ("Ausbildung Koch/Köchin", "Ausbildung Hotelfach"),
                 "en": ("Diploma in Culinary Arts", "BA Hospitality Management")},
    ),
    Occupation(
        titles=(
            ("Personalreferentin", "Personalreferent", "HR Business Partner"),
            ("Recruiterin", "Recruiter", "Recruiter"),
        ),
        skills={
            "de": ("Arbeitsrecht", "Personalauswahl", "Onboarding", "Employer Branding",
                   "Personalentwicklung"),
            "en": ("Employment law", "Candidate selection", "Onboarding", "Employer branding",
                   "Learning and development"),
        },
        fields={"de": ("Psychologie", "Personalmanagement"),
                "en": ("Psychology", "Human Resource Management")},
        degrees={"de": ("B.Sc. Psychologie", "M.A. Personalmanagement"),
                 "en": ("BSc Psychology", "MA HRM")},
    ),
)  # fmt: skip

EMPLOYERS: Final[dict[Lang, tuple[str, ...]]] = {
    "de": (
        "Nordlicht Software GmbH", "Klinikum am Stadtpark", "Bäckerei Sonnenschein",
        "Rheinblick Logistik AG", "Stadtwerke Mittelstadt", "Datenwerk Analytics GmbH",
        "Grundschule am Lindenplatz", "Alpenblick Hotel & Spa", "Maschinenbau Hartmann KG",
        "Pflegedienst Lebenswert", "Kreativbüro Fuchs & Hase", "Steuerkanzlei Brandt",
        "Universitätsklinikum Süd", "Fahrradmanufaktur Kettenblatt", "Versicherungsgruppe Anker",
    ),
    "en": (
        "Acme Corporation", "Riverside General Hospital", "Brightside Analytics Ltd",
        "Northwind Traders", "Globex Logistics", "Maple Leaf Software Inc.",
        "St Mary's Primary School", "Blue Harbour Hotels", "Contoso Engineering",
        "Evergreen Care Services", "Pixel & Pine Studio", "Summit Financial Partners",
        "Lighthouse Health Trust", "Initech Systems", "Harbourview Bistro",
    ),
}  # fmt: skip

JOB_DESCRIPTIONS: Final[dict[Lang, tuple[str, ...]]] = {
    "de": (
        "Wir suchen Verstärkung für unser Team in {city}. Du bringst Erfahrung mit {skills} mit.",
        "Zum nächstmöglichen Zeitpunkt in Voll- oder Teilzeit. Wichtig sind uns {skills}.",
        "Spannende Aufgaben, flache Hierarchien, faire Bezahlung. Erfahrung mit {skills} "
        "ist ein Plus.",
    ),
    "en": (
        "Join our team in {city}. You bring experience with {skills}.",
        "Full-time or part-time, starting as soon as possible. We value {skills}.",
        "Interesting work, a friendly team and fair pay. Experience with {skills} is a plus.",
    ),
}  # fmt: skip

EMPLOYMENT_DESCRIPTIONS: Final[dict[Lang, tuple[str, ...]]] = {
    "de": (
        "Verantwortlich für {skill} im Team von {number} Kolleginnen und Kollegen.",
        "Schwerpunkt {skill}; Einarbeitung neuer Kolleginnen und Kollegen.",
        "Projekte rund um {skill}, enge Zusammenarbeit mit anderen Abteilungen.",
    ),
    "en": (
        "Responsible for {skill} in a team of {number}.",
        "Focus on {skill}; onboarding new colleagues.",
        "Projects around {skill}, working closely with other departments.",
    ),
}  # fmt: skip

SCHOOLS: Final[dict[str, tuple[str, ...]]] = {
    "DE": (
        "TU München", "Universität Hamburg", "HTW Berlin", "Universität zu Köln", "TU Dresden",
        "Universität Leipzig", "Hochschule Bremen", "Berufsschule Nürnberg",
        "Pflegeschule am Klinikum Stuttgart", "Universität Freiburg",
    ),
    "AT": ("Universität Wien", "TU Graz", "FH Salzburg", "Universität Innsbruck"),
    "CH": ("ETH Zürich", "Universität Bern", "Universität Basel", "ZHAW Winterthur"),
    "FR": ("Sorbonne Université", "Université de Lyon", "Sciences Po"),
    "NL": ("Universiteit van Amsterdam", "TU Delft", "Universiteit Utrecht"),
    "IT": ("Politecnico di Milano", "Sapienza Università di Roma"),
    "ES": ("Universidad Complutense de Madrid", "Universitat de Barcelona"),
    "PL": ("Uniwersytet Warszawski", "Politechnika Wrocławska"),
    "GB": ("University of Manchester", "King's College London", "University of Leeds"),
    "US": ("University of Michigan", "UC Berkeley", "Georgia Tech", "NYU"),
    "CA": ("University of Toronto", "McGill University"),
    "BR": ("Universidade de São Paulo", "Unicamp"),
    "IN": ("IIT Bombay", "University of Delhi"),
    "JP": ("University of Tokyo", "Kyoto University"),
    "NG": ("University of Lagos", "University of Ibadan"),
    "": ("Open University", "University of Amsterdam", "University of Melbourne"),
}  # fmt: skip

# --- personal data material --------------------------------------------------------------------

STREETS: Final[dict[Lang, tuple[str, ...]]] = {
    "de": (
        "Hauptstraße", "Bahnhofstraße", "Lindenweg", "Gartenstraße", "Schulstraße",
        "Am Marktplatz", "Rosenstraße", "Kastanienallee", "Bergstraße", "Mühlenweg",
    ),
    "en": (
        "High Street", "Station Road", "Elm Grove", "Church Lane", "Maple Avenue",
        "Park Road", "Victoria Street", "Oak Drive", "Mill Lane", "King Street",
    ),
}  # fmt: skip

# Postcode prefixes of a few German cities, so an address looks plausible.
GERMAN_POSTCODES: Final[dict[str, str]] = {
    "Berlin": "10", "Hamburg": "20", "München": "80", "Köln": "50", "Frankfurt am Main": "60",
    "Leipzig": "04", "Stuttgart": "70", "Dresden": "01", "Düsseldorf": "40", "Bremen": "28",
    "Nürnberg": "90", "Freiburg": "79", "Münster": "48", "Kiel": "24",
}  # fmt: skip

# Phone numbers by country, ``#`` standing for a random digit. Where a range is set aside for
# fiction (UK 020 7946 0xxx and 07700 900xxx, North American 555-01xx), it is used.
PHONE_FORMATS: Final[dict[str, tuple[str, ...]]] = {
    "DE": (
        "0151 ########", "+49 176 ########", "030 #### ####", "+49 (0)89 #######",
        "0170/#######",
    ),
    "AT": ("+43 660 #######", "0664 #######"),
    "CH": ("+41 79 ### ## ##", "044 ### ## ##"),
    "GB": ("+44 20 7946 0###", "07700 900###"),
    "US": ("+1 212-555-01##", "(415) 555-01##"),
    "CA": ("+1 416-555-01##",),
    "FR": ("+33 6 ## ## ## ##", "06 ## ## ## ##"),
    "NL": ("+31 6 ########",),
    "BR": ("+55 11 9####-####",),
    "IN": ("+91 98### #####",),
    "JP": ("+81 90-####-####",),
    "NG": ("+234 803 ### ####",),
    "KR": ("+82 10-####-####",),
    "": ("+44 7700 900###",),
}  # fmt: skip

EMAIL_DOMAINS: Final[tuple[str, ...]] = (
    "example.com", "example.org", "example.net", "mail.example",
)  # fmt: skip

NOTICE_VERSIONS: Final[tuple[tuple[str, str], ...]] = (
    # (in force from, version): a decision names the notice in force when it was taken.
    ("2023-01-01", "2023-01"),
    ("2024-03-01", "2024-03"),
    ("2025-02-01", "2025-02"),
)
