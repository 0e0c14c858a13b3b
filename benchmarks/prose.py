"""Readable news prose and post texts, drawn from a seeded random generator.

Not language, but text of the length, word shapes and punctuation of the real thing, so that
parsers, language detection and VADER do the work they do on real articles.
"""

from __future__ import annotations

import random

SUBJECTS = (
    "The government",
    "Officials in Kyiv",
    "The ministry",
    "A senior diplomat",
    "Analysts at the institute",
    "The central bank",
    "Local residents",
    "Emergency services",
    "The prime minister",
    "Opposition leaders",
    "The defence secretary",
    "Researchers",
    "The city council",
    "Several witnesses",
    "A spokesperson for the company",
    "European leaders",
    "The White House",
    "Moscow",
    "The United Nations",
    "Farmers in the region",
    "The coach",
    "Union representatives",
    "Investors",
    "Health authorities",
)
VERBS = (
    "said on Tuesday that",
    "warned that",
    "confirmed that",
    "denied reports that",
    "told reporters that",
    "argued that",
    "announced that",
    "acknowledged that",
    "insisted that",
    "suggested that",
    "wrote in a statement that",
    "expects that",
)
CLAUSES = (
    "the decision would be reviewed within weeks",
    "long-range missiles had been cleared for use inside Russia",
    "talks would resume after the summit",
    "prices had risen faster than expected in the autumn",
    "the strike hit an ammunition depot near the border",
    "the new rules would take effect in January",
    "more than a thousand people had been evacuated overnight",
    "the team had recovered from a difficult start to the season",
    "the budget gap was wider than the forecast published in March",
    "the agreement left several questions unanswered",
    "air defence systems intercepted most of the drones",
    "the network outage was caused by a faulty update",
    "turnout had been higher than in any election since 1990",
    "the storm would reach the coast by Thursday evening",
    "sanctions were starting to bite",
    "the hospital was operating at full capacity",
    "nobody wanted a wider war",
    "the figures showed a modest recovery",
)
TAILS = (
    "",
    "",
    ", according to people familiar with the matter",
    ", although details remained scarce",
    ", a claim that could not be independently verified",
    " despite mounting pressure from allies",
    " as the deadline approached",
    ", citing intelligence reports",
    " in an interview broadcast late on Monday",
    ", adding that further measures were possible",
)
HEADLINE_WORDS = (
    "Strikes",
    "Talks",
    "Markets",
    "Election",
    "Storm",
    "Ceasefire",
    "Budget",
    "Missiles",
    "Protest",
    "Inquiry",
    "Summit",
    "Outage",
    "Transfer",
    "Verdict",
    "Sanctions",
    "Evacuation",
)
HEADLINE_TAILS = (
    "what we know so far",
    "live updates",
    "how the internet reacted",
    "the week in review",
    "leaders trade warnings",
    "five things to watch",
    "a turning point?",
    "what it means for you",
    "reaction from around the world",
    "the numbers behind the story",
)
# Post texts, as people write them: hashtags, mentions, emoji, shouting, sarcasm.
POST_OPENERS = (
    "Did we just take a step closer to World War III?",
    "This is terrifying.",
    "Huge relief for Ukraine after months of waiting.",
    "Great, just great. Another day, another doomsday headline.",
    "Everyone shouting about escalation should take a breath.",
    "Proud of the people helping refugees this week.",
    "Reckless and dangerous escalation.",
    "Markets fall sharply after the announcement.",
    "Deterrence still works and nobody wants a wider war.",
    "Kindness wins, always.",
    "I can't believe this is happening again 😢",
    "Absolutely brilliant performance tonight!!! 🔥🔥",
    "Worst decision in years. Shameful.",
    "Not sure what to make of this, honestly.",
    "Thread: what the new rules mean for renters 🧵",
    "So much love for everyone who turned up today ❤️",
    "The data tells a very different story.",
    "Heartbreaking scenes from the coast tonight.",
    "Finally some good news!",
    "Can someone explain why nobody saw this coming?",
)
POST_MIDDLES = (
    "Our leaders are gambling with millions of lives.",
    "Range matters less than numbers.",
    "A few dozen missiles will not change the war.",
    "Stay safe out there, everyone.",
    "The response from the ministry was pathetic.",
    "This is what solidarity looks like.",
    "Watch the full clip below.",
    "We will keep reporting as this develops.",
    "Prices at the pump are already climbing.",
    "Nobody I spoke to today felt reassured.",
    "",
    "",
)
HASHTAGS = (
    "#WW3",
    "#ATACMS",
    "#Ukraine",
    "#NuclearWar",
    "#StandWithUkraine",
    "#StopTheWar",
    "#Breaking",
    "#Election2024",
    "#ClimateCrisis",
    "#Storm",
    "#Budget",
    "#NATO",
    "#Peace",
    "#CostOfLiving",
)
FOREIGN_POSTS = (
    "Esto es una locura, nadie quiere otra guerra en Europa. Que alguien lo detenga ya.",
    "Das ist eine gefährliche Eskalation und niemand weiß, wie es weitergehen soll.",
    "C'est une décision lourde de conséquences pour toute la région, et personne n'en parle.",
    "Questa notizia è davvero preoccupante, speriamo che prevalga il buon senso.",
    "To jest bardzo niepokojące, wszyscy czekamy na kolejne informacje z frontu.",
)
FIRST_NAMES = (
    "Dana",
    "Sam",
    "Petra",
    "Jo",
    "Lena",
    "Mark",
    "Aisha",
    "Tomasz",
    "Chloé",
    "Kenji",
    "Maria",
    "Olek",
    "Priya",
    "Ben",
    "Sofia",
    "Yusuf",
)
LAST_NAMES = (
    "Miller",
    "Okafor",
    "Novak",
    "Park",
    "Schmidt",
    "Kowalski",
    "Dubois",
    "Tanaka",
    "Rossi",
    "Hughes",
    "Ahmed",
    "García",
    "Ivanova",
    "Brennan",
)


def sentence(rng: random.Random) -> str:
    return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(CLAUSES)}{rng.choice(TAILS)}."


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(2, 5)))


def headline(rng: random.Random) -> str:
    return f"{rng.choice(HEADLINE_WORDS)}: {rng.choice(HEADLINE_TAILS)}"


def person(rng: random.Random) -> tuple[str, str]:
    """A display name and a handle (no ``@``) of at most 15 characters."""
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    handle = f"{first}{last[:6]}{rng.randint(1, 999)}".replace("é", "e").replace("í", "i")
    return f"{first} {last}", handle.lower()[:15]


def post_text(rng: random.Random) -> tuple[str, str]:
    """A post's text and its language tag: mostly English, some in other languages."""
    if rng.random() < 0.08:
        return rng.choice(FOREIGN_POSTS), rng.choice(("es", "de", "fr", "it", "pl"))
    words = [rng.choice(POST_OPENERS), rng.choice(POST_MIDDLES)]
    text = " ".join(word for word in words if word)
    tags = rng.sample(HASHTAGS, rng.randint(0, 3))
    if tags:
        text += " " + " ".join(tags)
    return text, "en"
