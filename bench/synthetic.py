"""A synthetic story library for the benchmark: N stories from a fixed seed.

Each story looks like one a trainer would write: front matter with a title, summary,
protagonist, two to five tags from the real vocabulary, three to five reflection questions
using ``{{ story.protagonist }}``, facilitator notes, and a body of about 600 words in three
sections. The text is assembled from the sentence patterns below, so it is varied enough for
search and Markdown to do real work, but it is not meant to be read.
"""

from __future__ import annotations

import random
from pathlib import Path

FIRST_NAMES = (
    "Amara", "Bruno", "Chen", "Dalia", "Emeka", "Farah", "Gustavo", "Hanne", "Idris", "Jana",
    "Kofi", "Leila", "Mateo", "Nadia", "Oskar", "Priya", "Quentin", "Rosa", "Soren", "Tamsin",
    "Umar", "Vera", "Wendell", "Ximena", "Yusuf", "Zofia",
)  # fmt: skip
COMPANIES = (
    "Brightwell Logistics", "Harbour Street Bakeries", "Northgate Insurance", "Pinecrest Clinics",
    "Riverside Print Works", "Saltmarsh Software", "Tallow & Finch Retail", "Upland Water",
    "Vantage Call Centres", "Westbrook Hotels",
)  # fmt: skip
TEAMS = (
    "the night shift", "the claims team", "the help desk", "the warehouse crew",
    "the front desk", "the field engineers", "the payroll team", "the kitchen",
)  # fmt: skip
THINGS = (
    "the new rota", "a missed delivery", "the quarterly figures", "a customer complaint",
    "the holiday calendar", "a late report", "the training budget", "a safety check",
    "the handover notes", "an overdue invoice", "the stock count", "a system outage",
)  # fmt: skip
FEELINGS = ("tired", "uneasy", "relieved", "frustrated", "hopeful", "embarrassed", "proud", "wary")
PLACES = ("the car park", "the break room", "a corridor", "the loading bay", "a video call")
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")

SENTENCES = (
    "On {day} morning {name} arrived early to go through {thing} before anyone else came in.",
    "{manager} had been promoted from {team} only six weeks earlier and still sat at the old desk.",
    "Nobody at {company} had explained who was now responsible for {thing}.",
    "{name} said very little in the team meeting and left before the last item.",
    "Later, in {place}, {name} admitted to feeling {feeling} about how the week had gone.",
    "{manager} wrote three possible replies and deleted each of them before lunch.",
    "The numbers for {team} had been slipping for two months, slowly and then all at once.",
    "A colleague mentioned {thing} in passing, as if everyone already knew about it.",
    "{manager} decided to wait until {day} and see whether the problem sorted itself out.",
    "By the end of the month {thing} had become the only thing people talked about.",
    "{name} had covered for two absent colleagues without being asked and without complaint.",
    "When {manager} finally asked a direct question, the answer was longer than expected.",
    "The regional director asked for a short summary of {thing} by the end of {day}.",
    "{name} felt {feeling} but did not say so, because it did not seem to be the moment.",
    "Two people from {team} asked {manager} the same question in the same afternoon.",
    "The old manager had handled {thing} with a phone call; {manager} sent an email instead.",
    "Nobody disagreed out loud, yet the plan was quietly ignored for the rest of the week.",
    "{manager} kept a notebook of what people said in one-to-ones and read it back on {day}.",
    "The conversation in {place} lasted twenty minutes and changed how {manager} saw the team.",
    "{name} asked whether the decision about {thing} was final or still open for discussion.",
    "There was a long silence, and then {name} explained what had actually happened.",
    "{company} had a policy for this, but nobody in {team} had read it in years.",
    "{manager} noticed that {name} had stopped joining the Friday lunch.",
    "It would have been easy to blame the system, and for a while everyone did.",
    "The customer wrote again, more politely this time, and asked for a named contact.",
    "{manager} felt {feeling} walking back from {place} and replayed every sentence.",
    "The following {day}, {name} brought a list of suggestions that nobody had asked for.",
    "Half of {team} had already guessed the news before it was announced.",
    "{manager} asked HR what the options were before promising anything to anyone.",
    "In the end the fix for {thing} took an afternoon; agreeing on it took three weeks.",
)
HEADINGS = (
    "The first week", "What people noticed", "A difficult conversation", "The figures",
    "An email at midnight", "What happened next", "Around the table", "Three months later",
    "The meeting after the meeting", "A quiet Friday",
)  # fmt: skip
TITLES = (
    "{thing_cap} and {name}", "The week of {thing}", "{name} and the empty chair",
    "A {feeling} {day}", "What {name} did not say", "{manager}'s first {day}",
    "Before the {day} meeting", "The {place_word} conversation",
)  # fmt: skip
QUESTIONS = (
    "What did the manager notice about {{ story.protagonist }}, and what did they assume?",
    "How might {{ story.protagonist }} have felt during the team meeting?",
    "Which options did the manager have at the start, and what might each have led to?",
    "What would you say first if {{ story.protagonist }} were on your team?",
    "Which facts were still missing when the first decision was made?",
    "What does this story suggest about how your own team brings you bad news?",
    "Write down one thing you will ask, rather than assume, in your next one-to-one.",
)
NOTES = (
    "Open by asking the room what they noticed first, then what they assumed.",
    "Pairs work well for the last question; give them five minutes.",
    "Some groups defend the manager strongly; let that view be heard before moving on.",
)


def story_text(rng: random.Random, index: int, tags: list[str], words: int = 560) -> str:
    """One story file: front matter and a body of about ``words`` words."""
    name, manager = rng.sample(FIRST_NAMES, 2)
    slots = {
        "name": name,
        "manager": manager,
        "company": rng.choice(COMPANIES),
        "team": rng.choice(TEAMS),
        "day": rng.choice(WEEKDAYS),
        "feeling": rng.choice(FEELINGS),
    }

    def fill(pattern: str) -> str:
        thing = rng.choice(THINGS)
        return pattern.format(
            **slots,
            thing=thing,
            thing_cap=thing[0].upper() + thing[1:],
            place=rng.choice(PLACES),
            place_word=rng.choice(("corridor", "car park", "kitchen", "late")),
        )

    title = f"{fill(rng.choice(TITLES))} ({index})"
    summary = " ".join(fill(rng.choice(SENTENCES)) for _ in range(2))
    questions = rng.sample(QUESTIONS, rng.randint(3, 5))
    headings = rng.sample(HEADINGS, 3)
    sections: list[str] = []
    count = 0
    for heading in headings:
        paragraphs = []
        while count < words * (len(sections) + 1) // len(headings):
            paragraph = " ".join(fill(rng.choice(SENTENCES)) for _ in range(rng.randint(3, 6)))
            count += len(paragraph.split())
            paragraphs.append(paragraph)
        sections.append(f"## {heading}\n\n" + "\n\n".join(paragraphs))
    front = [
        "---",
        f'title: "{title}"',
        f'summary: "{summary}"',
        f'protagonist: "{name}"',
        f"tags: [{', '.join(tags)}]",
        "reflection:",
        *(f'  - "{question}"' for question in questions),
        "facilitator_notes: |",
        *(f"  {note}" for note in rng.sample(NOTES, 2)),
        "---",
    ]
    return "\n".join(front) + "\n" + "\n\n".join(sections) + "\n"


def write_library(
    stories_dir: Path, count: int, themes: list[str], moments: list[str], seed: int = 6
) -> list[Path]:
    """Write ``count`` stories into ``stories_dir`` (created); the same seed gives the same files."""
    rng = random.Random(seed)
    stories_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for index in range(count):
        tags = rng.sample(themes, rng.randint(1, 3)) + rng.sample(moments, rng.randint(1, 2))
        path = stories_dir / f"story-{index:05d}.md"
        path.write_text(story_text(rng, index, tags), encoding="utf-8")
        paths.append(path)
    return paths
