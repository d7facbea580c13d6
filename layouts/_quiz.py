"""The plan of a quiz, shared by the quiz and its key: which card goes in which section, the
choices, matching lists and statements, and every right answer. Pure: no drawing.

Both layouts make the plan from the same deck, options and version, so a key always matches
its quiz. Cards go to sections by deck order (every version asks the same questions); the
version's order and its own random generator decide the order within a section, the choices
and the letters.
"""

import random
import re
from collections.abc import Mapping, Sequence
from typing import Any, NamedTuple

from printkit.card_content import answer_contents
from printkit.deck import Card, Deck
from printkit.errors import LayoutError, Problem
from printkit.options import Option
from printkit.ordering import Version

HEADINGS = {
    "multiple-choice": "Multiple choice",
    "matching": "Matching",
    "fill-in": "Fill in the blanks",
    "true-false": "True or false",
    "written": "Written answers",
}
INSTRUCTIONS = {
    "multiple-choice": "Circle the letter of the one right answer.",
    "matching": "Write the letter of the matching answer in the box. One answer is left over.",
    "fill-in": "Write the missing word or words on each blank.",
    "true-false": "Is the answer given right for its question? Circle True or False.",
    "written": "Write your answer on the lines below each question.",
}
SECTIONS = tuple(HEADINGS)
SHORT_ANSWER = 50  # characters: longer answers (sentences to write) are asked as written questions
MATCHING_GROUP = 8  # questions per matching list: more is a search, not a test
MIN_MATCHING = 3
# How short-answer cards are shared between the sections that ask them.
WEIGHTS = {"multiple-choice": 3, "matching": 2, "true-false": 2}


def _check_sections(value: tuple[str, ...] | None) -> None:
    unknown = [name for name in value or () if name not in SECTIONS]
    if unknown:
        raise ValueError(f"has no section '{unknown[0]}'; the sections are {', '.join(SECTIONS)}")


class SectionList(Option):
    """`sections`: names separated by commas, read into a tuple (None: chosen from the deck)."""

    def coerce(self, raw: str) -> Any:
        names = tuple(dict.fromkeys(n.strip().lower() for n in str(raw).split(",") if n.strip()))
        if not names:
            raise ValueError(f"needs at least one of {', '.join(SECTIONS)}")
        _check_sections(names)
        return names


# Shared by the quiz and its key: one value for both, so the key always fits its quiz.
QUIZ_OPTIONS = (
    SectionList(
        "sections",
        None,
        "sections in print order, comma-separated: " + ", ".join(SECTIONS) + " (default: "
        "those the deck's cards suit)",
        kind="text",
        shared=True,
    ),
    Option(
        "choices",
        4,
        "choices per multiple-choice question",
        kind="int",
        minimum=2,
        maximum=6,
        shared=True,
    ),
    Option(
        "marks",
        1,
        "marks per question (a card's marks: wins)",
        kind="int",
        minimum=1,
        maximum=100,
        shared=True,
    ),
    Option(
        "word_bank",
        False,
        "list the missing words above the fill-in section",
        kind="bool",
        shared=True,
    ),
    Option(
        "extra_match",
        True,
        "add one answer that matches no question to each matching list",
        kind="bool",
        shared=True,
    ),
)


class Question(NamedTuple):
    """One numbered question. `choices` are the texts to choose from (multiple choice), its
    group's list (matching) or the one answer shown (true/false); `right` is the index of the
    right choice, or for true/false 1 when the answer shown is the card's own, 0 when not."""

    number: int
    card: Card
    marks: int
    choices: tuple[str, ...] = ()
    right: int = 0
    group: int = 0  # matching: which list of the section


class Section(NamedTuple):
    name: str
    questions: tuple[Question, ...]
    lists: tuple[tuple[str, ...], ...] = ()  # matching: each group's lettered answers
    bank: tuple[str, ...] = ()  # fill-in: the missing words, in alphabetical order

    @property
    def marks(self) -> int:
        return sum(q.marks for q in self.questions)

    @property
    def heading(self) -> str:
        return HEADINGS[self.name]


class QuizPlan(NamedTuple):
    version: Version
    sections: tuple[Section, ...]
    notes: tuple[str, ...] = ()  # sections left out, cards left out, and why

    @property
    def total(self) -> int:
        return sum(section.marks for section in self.sections)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().casefold()


def _is_short(card: Card) -> bool:
    if card.cloze or len(card.plain_answer) > SHORT_ANSWER:
        return False
    return not any(content.pictures for content in answer_contents(card, False))


def assign(deck: Deck, options: Mapping[str, Any]) -> tuple[dict[str, list[Card]], list[str]]:
    """Each card's section (by deck order), and notes on what was left out and why. Raises a
    LayoutError when a section asked for by name cannot be made from this deck."""
    asked = options["sections"]
    chosen = list(asked or SECTIONS)
    notes: list[str] = []
    found: dict[str, list[Card]] = {name: [] for name in chosen}
    short = [card for card in deck.cards if _is_short(card)]
    short_numbers = {card.number for card in short}
    left: list[Card] = []
    for card in deck.cards:
        if card.cloze:
            (found.get("fill-in", left)).append(card)
        elif card.number not in short_numbers:
            (found.get("written", left)).append(card)
    short_sections = [name for name in chosen if name in WEIGHTS]
    problems = _short_problems(short, options)
    for name in list(short_sections):
        if name in problems:
            if asked:
                raise LayoutError(Problem(deck.path, None, problems[name]))
            notes.append(f"{HEADINGS[name]}: left out; {problems[name]}.")
            short_sections.remove(name)
    if short_sections:
        for card, name in zip(short, _deal(len(short), short_sections), strict=True):
            found[name].append(card)
    elif "written" in found:
        found["written"].extend(short)
        found["written"].sort(key=lambda card: card.number)
    else:
        left.extend(short)
    if "matching" in found and 0 < len(found["matching"]) < MIN_MATCHING:
        # Two pairs are no matching exercise: ask them another way.
        other = next((n for n in short_sections if n != "matching"), None)
        if other:
            found[other] = sorted(found[other] + found["matching"], key=lambda c: c.number)
            found["matching"] = []
    for name, cards in found.items():
        if not cards and name not in problems:
            notes.append(f"{HEADINGS[name]}: left out; {_why_empty(name)}.")
    if left:
        numbers = ", ".join(str(card.number) for card in left)
        notes.append(f"Cards left out (they suit none of the sections asked for): {numbers}.")
    return {name: cards for name, cards in found.items() if cards}, notes


def _why_empty(name: str) -> str:
    return {
        "fill-in": "the deck has no cloze cards",
        "written": "no card has a long answer",
    }.get(name, "too few cards with short answers")


def _short_problems(short: list[Card], options: Mapping[str, Any]) -> dict[str, str]:
    """Sections that these short-answer cards cannot make, with what they would need."""
    answers = {_norm(card.plain_answer) for card in short}
    problems = {}
    k = options["choices"]
    if short and any(len(answers | {_norm(w) for w in card.wrong}) < k for card in short):
        problems["multiple-choice"] = (
            f"the multiple-choice section needs at least {k} different answers for {k} choices, "
            f"but the deck's short answers give only {len(answers)}; add cards, write wrong: "
            "answers on the cards, or set choices lower"
        )
    if len(answers) < 2:
        problems["true-false"] = (
            "the true-false section needs at least 2 different short answers (a false "
            f"statement uses another card's answer), but the deck has {len(answers)}; add cards"
        )
    if len(short) < MIN_MATCHING:
        problems["matching"] = (
            f"the matching section needs at least {MIN_MATCHING} cards with short answers, but "
            f"the deck has {len(short)}; add cards"
        )
    return problems


def _deal(count: int, names: Sequence[str]) -> list[str]:
    """`count` section names for cards in deck order, shared by WEIGHTS and interleaved (a
    deck's topics spread over every section), matching taking none or at least MIN_MATCHING."""
    total = sum(WEIGHTS[name] for name in names)
    quotas = {name: count * WEIGHTS[name] // total for name in names}
    for name in sorted(names, key=lambda n: -(count * WEIGHTS[n] % total))[
        : count - sum(quotas.values())
    ]:
        quotas[name] += 1
    if 0 < quotas.get("matching", 0) < MIN_MATCHING and len(names) > 1:
        spare = quotas.pop("matching")
        quotas[names[0] if names[0] != "matching" else names[1]] += spare
    dealt: list[str] = []
    given = dict.fromkeys(quotas, 0)
    for _ in range(count):
        name = max(quotas, key=lambda n: (quotas[n] - given[n]) / max(quotas[n], 1))
        given[name] += 1
        dealt.append(name)
    return dealt


def plan_quiz(deck: Deck, options: Mapping[str, Any], version: Version) -> QuizPlan:
    found, notes = assign(deck, options)
    position = {card.number: index for index, card in enumerate(version.cards)}
    rng = random.Random(f"printkit-quiz:{version.seed}:{version.letter or 'A'}")
    short = [card for card in deck.cards if _is_short(card)]
    sections = []
    number = 1
    for name, cards in found.items():
        ordered = sorted(cards, key=lambda card: position[card.number])
        section = _SECTION_MAKERS[name](name, ordered, number, short, options, rng)
        sections.append(section)
        number += len(section.questions)
    return QuizPlan(version, tuple(sections), tuple(notes))


def _marks(card: Card, options: Mapping[str, Any]) -> int:
    return card.marks or options["marks"]


def _others(card: Card, pool: Sequence[Card], exclude: set[str], count: int, rng) -> list[str]:
    """Up to `count` answers of other cards for `card`'s wrong choices: same tag first, then
    closest in length, chosen at random among the best few, none equal to one in `exclude`."""
    length, tags = len(card.plain_answer), set(card.tags)
    ranked = sorted(
        (not (tags & set(other.tags)), abs(len(other.plain_answer) - length), other.number)
        for other in pool
        if other is not card
    )
    by_number = {other.number: other for other in pool}
    candidates: list[str] = []
    seen = set(exclude)
    for *_, number in ranked:
        text = by_number[number].plain_answer
        if _norm(text) not in seen:
            seen.add(_norm(text))
            candidates.append(text)
        if len(candidates) >= count + 2:
            break
    return rng.sample(candidates, min(count, len(candidates)))


def _multiple_choice(name, cards, first, pool, options, rng) -> Section:
    k = options["choices"]
    # The right letter spread evenly: each letter as often as the others (±1), in random order.
    letters = [i % k for i in range(len(cards))]
    rng.shuffle(letters)
    questions = []
    for offset, (card, right) in enumerate(zip(cards, letters, strict=True)):
        seen = {_norm(card.plain_answer)}
        wrong = []
        for text in card.wrong:
            if _norm(text) not in seen and len(wrong) < k - 1:
                seen.add(_norm(text))
                wrong.append(text)
        wrong += _others(card, pool, seen, k - 1 - len(wrong), rng)
        rng.shuffle(wrong)
        choices = (*wrong[:right], card.plain_answer, *wrong[right:])
        questions.append(Question(first + offset, card, _marks(card, options), choices, right))
    return Section(name, tuple(questions))


def _matching(name, cards, first, pool, options, rng) -> Section:
    groups = -(-len(cards) // MATCHING_GROUP)
    size = -(-len(cards) // groups)
    questions, lists = [], []
    for g in range(groups):
        group = cards[g * size : (g + 1) * size]
        answers = list(dict.fromkeys(card.plain_answer for card in group))
        if options["extra_match"]:
            outside = [c for c in pool if c not in group]
            extra = _others(group[0], outside, {_norm(a) for a in answers}, 1, rng)
            answers += extra
        rng.shuffle(answers)
        lists.append(tuple(answers))
        for card in group:
            number = first + len(questions)
            right = answers.index(card.plain_answer)
            questions.append(
                Question(number, card, _marks(card, options), tuple(answers), right, g)
            )
    return Section(name, tuple(questions), tuple(lists))


def _true_false(name, cards, first, pool, options, rng) -> Section:
    truths = [i % 2 == 0 for i in range(len(cards))]
    rng.shuffle(truths)
    questions = []
    for offset, (card, true) in enumerate(zip(cards, truths, strict=True)):
        shown = card.plain_answer
        if not true:
            other = _others(card, pool, {_norm(shown)}, 1, rng)
            shown, true = (other[0], False) if other else (shown, True)
        marks = _marks(card, options)
        questions.append(Question(first + offset, card, marks, (shown,), int(true)))
    return Section(name, tuple(questions))


def _fill_in(name, cards, first, pool, options, rng) -> Section:
    questions = tuple(
        Question(first + i, card, _marks(card, options)) for i, card in enumerate(cards)
    )
    words = {answer for card in cards for answer in card.answer}
    bank = tuple(sorted(words, key=str.casefold)) if options["word_bank"] else ()
    return Section(name, questions, bank=bank)


def _written(name, cards, first, pool, options, rng) -> Section:
    return Section(
        name, tuple(Question(first + i, c, _marks(c, options)) for i, c in enumerate(cards))
    )


_SECTION_MAKERS = {
    "multiple-choice": _multiple_choice,
    "matching": _matching,
    "fill-in": _fill_in,
    "true-false": _true_false,
    "written": _written,
}
