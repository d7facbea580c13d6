"""Plain-text notes: a title line, then questions, each followed by answer points ('-', '•', '*').

Notes copied from a PDF or a phone wrap long lines anywhere. The rules that put them back:
  1. A line starting with '-', '•' or '*' starts a point.
  2. Lines between two points (or after the last one) either continue the point above or
     start the next question. The question starts at the first of them that
       - is followed (now or after more such lines) by a point,
       - starts with a capital letter, a digit or an opening quote, and
       - does not follow a line that cannot end a sentence: one ending in a hyphen, a comma,
         ';', ':', '(', '&', or a word such as 'the', 'a', 'of', 'to', 'and' (JOINING_WORDS);
         after such a word, a line starting with What, How, Why, When, Where, Who or Which
         still starts a question ("the What" is no sentence).
     When several lines qualify, one starting with a question word (What, How, Why, …) wins.
     Lines before the question continue the point above; lines after it continue the question.
     If none qualifies, all the lines continue the point, and the next point joins that card.
  3. A blank line ends a point: the next text line starts a question.
  4. The first line is the deck's title, unless a point follows it directly; a trailing
     "Flashcards" is dropped from it.
  5. Wrapped lines are joined with a space, or with nothing after a hyphen ("South-" +
     "Western" gives "South-Western").
Text lines after the last point continue it, unless they look like a question (a question word
or a '?'), which is an error: a question needs at least one point.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from printkit.importers import csvfile
from printkit.importers.base import Importer, Options, Parsed, Source, source_error, split_lines

_POINT = re.compile(r"\s*[-•*]\s*(.*)")
_FLASHCARDS = re.compile(r"[\s:|–—-]*\bflash\s*-?\s*cards?\s*$", re.IGNORECASE)


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# Opening quotes and brackets a question may start with before its capital letter.
_OPENERS = "\"'‘“«(["
QUESTION_WORDS = _words(
    "what how why when where who whom whose which was were is are did do does can could "
    "should would will explain describe define name list give outline compare discuss state "
    "identify summarise summarize evaluate assess"
)
# Question words that cannot continue a sentence after 'the', 'of', …
INTERROGATIVES = _words("what how why when where who whom whose which")
# Words a sentence does not end with: a line ending in one of them goes on on the next line.
JOINING_WORDS = _words(
    "a an the of to and or but nor in on at by for from with into onto upon over under about "
    "as than that which who whose whom its it's his her their our my your this these those "
    "is are was were be been being has have had not very so if because while although though "
    "between among against during without within through towards toward via per"
)


class Notes(Importer):
    name = "notes"
    summary = "plain-text notes"

    def sniff(self, source: Source, options: Options) -> float:
        lines = [line for line in source.lines if line.strip()][:300]
        points = sum(_POINT.fullmatch(line.strip()) is not None for line in lines)
        if points < 1 or "\t" in source.text[:100_000]:
            return 0.0
        _, columns, share = csvfile.table_shape(lines)
        if columns >= 2 and share >= 0.8:  # a table, not notes
            return 0.3
        return 0.95 if points * 10 >= len(lines) else 0.5

    def parse(self, source: Source, options: Options) -> list[Parsed]:
        return [parse(source.text, source.path)]


IMPORTER = Notes()


@dataclass
class _Line:
    number: int  # 1-based line in the file
    text: str
    after_blank: bool = False


@dataclass
class _Card:
    question: list[_Line]
    points: list[list[_Line]] = field(default_factory=list)


def parse(text: str, path: Path) -> Parsed:
    lines = _numbered_lines(text)
    parsed = Parsed()
    if lines and not _is_point(lines[0]) and (len(lines) == 1 or not _is_point(lines[1])):
        parsed.title = _FLASHCARDS.sub("", lines[0].text).strip() or None
        lines = lines[1:]
    cards: list[_Card] = []
    run: list[_Line] = []  # text lines since the last point
    for line in lines:
        match = _POINT.fullmatch(line.text)
        if match is None:
            run.append(line)
            continue
        if not cards and not run:
            raise source_error(
                path,
                line.number,
                "this point comes before any question; write the question above it",
            )
        _place_run(run, cards, followed_by_point=True, path=path)
        run = []
        cards[-1].points.append([_Line(line.number, match.group(1))])
    if run:
        if not cards:
            raise source_error(
                path, run[0].number, "these notes have no answer points; start each point with '-'"
            )
        _place_run(run, cards, followed_by_point=False, path=path)
    for card in cards:
        points = tuple(_join(point) for point in card.points)
        parsed.add(path, card.question[0].number, _join(card.question), points)
    return parsed


def _numbered_lines(text: str) -> list[_Line]:
    lines: list[_Line] = []
    blank = False
    for number, raw in enumerate(split_lines(text), start=1):
        stripped = raw.strip()
        if not stripped:
            blank = True
            continue
        lines.append(_Line(number, stripped, after_blank=blank))
        blank = False
    return lines


def _is_point(line: _Line) -> bool:
    return _POINT.fullmatch(line.text) is not None


def _place_run(run: list[_Line], cards: list[_Card], followed_by_point: bool, path: Path) -> None:
    """Share a run of text lines between the point above and the next question (rule 2)."""
    if not cards:
        cards.append(_Card(run))
        return
    last_point = cards[-1].points[-1]
    start = _question_start(run, last_point[-1].text)
    if start is not None and not followed_by_point:
        if run[start].after_blank or _looks_like_question(run[start:]):
            raise source_error(
                path,
                run[start].number,
                "this looks like a new question but no answer points follow it; "
                "add points starting with '-' below it, or join it to the point above",
            )
        start = None
    split = len(run) if start is None else start
    last_point.extend(run[:split])
    if start is not None:
        cards.append(_Card(run[start:]))


def _question_start(run: list[_Line], text_above: str) -> int | None:
    for index, line in enumerate(run):
        if line.after_blank:
            return index
    candidates = [
        index
        for index, line in enumerate(run)
        if _can_start_question(line.text, run[index - 1].text if index else text_above)
    ]
    if not candidates:
        return None
    for index in candidates:
        if _first_word(run[index].text) in QUESTION_WORDS:
            return index
    return candidates[0]


def _can_start_question(text: str, text_above: str) -> bool:
    first = text.lstrip(_OPENERS)[:1]
    if not (first.isupper() or first.isdigit()) or not text_above:
        return False
    if text_above.endswith(("-", "‐", ",", ";", ":", "(", "&")):
        return False
    last_word = re.sub(r"\W+$", "", text_above.rsplit(None, 1)[-1]).lower().replace("’", "'")
    # "the What" is no sentence: what, how, why… start a question even after a joining word.
    return last_word not in JOINING_WORDS or _first_word(text) in INTERROGATIVES


def _first_word(text: str) -> str:
    match = re.match(r"\W*(\w+)", text)
    return match.group(1).lower() if match else ""


def _looks_like_question(lines: list[_Line]) -> bool:
    return _first_word(lines[0].text) in QUESTION_WORDS or lines[-1].text.endswith("?")


def _join(lines: list[_Line]) -> str:
    """Wrapped lines as one text: joined by a space, or by nothing after a word's hyphen."""
    text = ""
    for line in lines:
        if not text:
            text = line.text
        elif text[-1] in "-‐" and len(text) > 1 and text[-2].isalnum():
            text += line.text
        else:
            text += " " + line.text
    return text
