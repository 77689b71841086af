"""Word parts for synthetic organizations: people's names are made of syllables, and
the generated framework's areas, competencies and levels of the words below."""

from __future__ import annotations

# Syllables of made-up given names and family names.
FIRST_HEADS = (
    "Al", "Be", "Ca", "Da", "El", "Fe", "Ga", "Ha", "Is", "Jo", "Ka", "Le", "Ma", "Ni",
    "Or", "Pa", "Qui", "Ra", "Sa", "Ta", "Ul", "Va", "Wi", "Xa", "Yo", "Za",
)  # fmt: skip
FIRST_TAILS = (
    "na", "ro", "lin", "mira", "tan", "vi", "sha", "del", "ko", "ria", "bel", "nor",
    "ez", "lia", "mon", "tis", "ya", "ren",
)  # fmt: skip
LAST_HEADS = (
    "Bran", "Cor", "Dun", "Fal", "Gor", "Hal", "Ker", "Lom", "Mar", "Nor", "Pell", "Quen",
    "Ros", "Sten", "Tor", "Val", "Wen", "Yar",
)  # fmt: skip
LAST_MIDS = ("a", "e", "i", "o", "u", "ai", "ei", "ou")
LAST_TAILS = (
    "dell", "ford", "gan", "holt", "kin", "lund", "mark", "ner", "quist", "rick", "sen",
    "ton", "vik", "well", "zar",
)  # fmt: skip

# Areas of the generated framework, each with topics its competencies are about.
AREAS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    (
        "delivery",
        "Delivery",
        ("scoping", "planning", "estimation", "follow-through", "release", "prioritising",
         "risk handling", "iteration", "unblocking", "shipping quality"),
    ),
    (
        "craft",
        "Craft",
        ("design", "code quality", "testing", "debugging", "tooling", "performance",
         "security", "data modelling", "documentation", "architecture"),
    ),
    (
        "collaboration",
        "Collaboration",
        ("feedback", "pairing", "reviewing", "conflict", "cross-team work", "listening",
         "negotiation", "knowledge sharing", "facilitation", "trust building"),
    ),
    (
        "direction",
        "Direction",
        ("strategy", "product sense", "decision making", "vision", "trade-offs",
         "roadmapping", "measurement", "alignment", "simplification", "bets"),
    ),
    (
        "growth",
        "People growth",
        ("mentoring", "coaching", "hiring", "onboarding", "delegation", "career talks",
         "recognition", "sponsorship", "team health", "inclusion"),
    ),
    (
        "operations",
        "Operations",
        ("incident response", "monitoring", "capacity", "cost care", "resilience",
         "runbooks", "on-call", "change safety", "compliance", "vendor care"),
    ),
    (
        "customers",
        "Customers",
        ("user research", "support", "accessibility", "clarity", "onboarding flows",
         "empathy", "outcomes", "adoption", "feedback loops", "trustworthiness"),
    ),
    (
        "communication",
        "Communication",
        ("writing", "presenting", "status updates", "storytelling", "asking for help",
         "explaining", "influence", "meetings", "escalation", "transparency"),
    ),
)  # fmt: skip

# What someone does about a topic, one verb phrase per kind of competency.
KIND_PHRASES = {
    "impact": "changes outcomes through {topic}",
    "behavior": "shows {topic} in how they work with others",
    "skill": "is practised in {topic}",
}

# How far someone's work reaches at each rank (1 = entry level).
REACH = (
    "their own tasks, with guidance",
    "their own work, on their own",
    "their team's work",
    "several teams' work",
    "a whole group's direction",
    "the organization and beyond",
)

# The own scale of skill competencies, lowest first: (key, name).
SCALE = (
    ("learning", "Learning"),
    ("practising", "Practising with help"),
    ("independent", "Independent"),
    ("guiding", "Guides others"),
    ("shaping", "Shapes the practice"),
)

# The two tracks: (key, code, title, rank).
IC_LEVELS = (
    ("ic1", "IC1", "Associate", 1),
    ("ic2", "IC2", "Practitioner", 2),
    ("ic3", "IC3", "Senior", 3),
    ("ic4", "IC4", "Staff", 4),
    ("ic5", "IC5", "Principal", 5),
    ("ic6", "IC6", "Distinguished", 6),
)
MANAGER_LEVELS = (
    ("m1", "M1", "Team Lead", 3),
    ("m2", "M2", "Manager", 4),
    ("m3", "M3", "Senior Manager", 5),
    ("m4", "M4", "Director", 6),
)

OBJECTIVE_TITLES = (
    "Lead the next quarter's work on {topic} and share what changed with the team",
    "Write a short guide on {topic} and walk two teams through it",
    "Take on {topic} for a cross-team project and report the outcome",
    "Pair weekly on {topic} with a colleague and hand over one task a month",
)
EVIDENCE_TITLES = (
    "Ran the {topic} review for the spring release",
    "Improved {topic} across two services",
    "Shared a write-up on {topic} with the group",
)
