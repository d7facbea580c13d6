"""Read a deck file (YAML) into cards, keeping every text exactly as typed.

Every problem in a deck is collected and reported at once as "path:line: message".
"""

import re
import unicodedata
from pathlib import Path
from typing import NamedTuple

import yaml

from printkit.errors import DeckError, Problem

# A loader without implicit resolvers keeps `3.10`, `no` and `0755` as typed; libyaml's is
# ten times faster than the pure-Python one on a big deck.
_LOADER = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

# The tags BaseLoader gives to nodes written without a tag; anything else was typed by the author.
_STR_TAG = "tag:yaml.org,2002:str"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_DEFAULT_TAGS = {yaml.ScalarNode: _STR_TAG, yaml.SequenceNode: _SEQ_TAG, yaml.MappingNode: _MAP_TAG}

# A key node and its value node.
Entry = tuple[yaml.Node, yaml.Node]

DECK_KEYS = ("title", "subject", "options", "cards")
# After a plain text: spaces, then # and a character other than a space: "Homework #3".
_CUT_COMMENT = re.compile(r"[ \t]+(#[^\s#].*)")
CARD_KEYS = ("question", "answer", "cloze", "wrong", "tags", "lines", "marks")
# Far beyond any class's needs, and refused before the work (and memory) they would cost:
# a 20 MB deck holds some 30,000 cards; 20,000 characters fill ten pages of a summary.
MAX_DECK_BYTES = 20 * 1024 * 1024
MAX_TEXT_CHARS = 20_000
# More writing lines than two pages hold is a typo (an extra 0), not a question's answer.
MAX_LINES = 60
# More marks than this for one question is a typo, not a question's worth.
MAX_MARKS = 100


class Card(NamedTuple):
    number: int  # 1-based position in the deck
    question: str
    answer: tuple[str, ...]  # one entry per point; a plain-text answer is a 1-tuple
    is_list: bool  # True when the deck gave a YAML list: printed as bullet points
    tags: tuple[str, ...] = ()
    lines: int | None = None  # worksheet writing lines for this card, >= 1
    line: int = 0  # 1-based line in the deck file where this card's entry starts
    # A cloze card (`cloze: "The {{mitochondrion}} is…"`) keeps its sentence, gaps and all, as
    # `question` and the hidden texts as `answer`; `cloze` says how to read them.
    cloze: bool = False
    wrong: tuple[str, ...] = ()  # wrong choices for multiple choice, written by the author
    marks: int | None = None  # marks this question is worth in a quiz or worksheet

    @property
    def plain_answer(self) -> str:
        """The answer as one text, points joined by "; " (for choices and statements)."""
        return "; ".join(self.answer)


class OptionSetting(NamedTuple):
    layout: str | None  # "summary" for `options: {summary: {pages: 2}}`, None for a bare name
    name: str
    value: str  # always the text as typed
    line: int  # 1-based line of the setting


class Deck(NamedTuple):
    title: str
    subject: str | None
    cards: tuple[Card, ...]
    path: Path
    options: tuple[OptionSetting, ...] = ()

    @property
    def stem(self) -> str:
        return self.path.stem


def load_deck(path: Path) -> Deck:
    """Read and check a deck file; raise DeckError listing every problem found."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_DECK_BYTES:
            raise DeckError(
                Problem(
                    path,
                    None,
                    f"this deck is {size / 1024 / 1024:.0f} MB, more than the "
                    f"{MAX_DECK_BYTES // 1024 // 1024} MB a deck may hold; split it into "
                    "several decks",
                )
            )
        data = path.read_bytes()
    except OSError as error:
        message = f"cannot open this deck ({error.strerror}); check the file name"
        raise DeckError(Problem(path, None, message)) from None
    return parse_deck(decode_text(data, path), path)


def parse_deck(text: str, path: Path) -> Deck:
    """Check a deck given as text; `path` is only used in the messages and for `Deck.stem`."""
    path = Path(path)
    text = text.removeprefix("\ufeff")
    try:
        root = yaml.compose(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        line, message = _syntax_problem(error, text)
        raise DeckError(Problem(path, line, message)) from None
    except yaml.reader.ReaderError as error:
        raise DeckError([bad_character(error, text, path)]) from None
    return _DeckReader(path, text.splitlines()).read(root)


def decode_text(data: bytes, path: Path) -> str:
    """UTF-8 text (a BOM is dropped); a DeckError names the line of the first bad byte."""
    try:
        # As data.decode("utf-8-sig") does (error positions after the BOM too), without
        # importing that codec's module: 0.2 ms of a small build.
        return data.removeprefix(b"\xef\xbb\xbf").decode("utf-8")
    except UnicodeDecodeError as error:
        # Bytes before the bad one are ASCII-compatible line breaks: CR, LF or CR LF.
        line = len(re.findall(rb"\r\n|\r|\n", data[: error.start])) + 1
        byte = data[error.start]
        raise DeckError(
            Problem(
                path,
                line,
                f"this file is not UTF-8 text (byte 0x{byte:02X} on this line "
                "cannot be read); save it again choosing the UTF-8 encoding",
            )
        ) from None


# A text that starts with a picture: YAML reads the leading ! as a tag.
_PICTURE_UNQUOTED = (
    "a text starts with '!', which YAML reads as a tag; put the whole text in quotes, "
    'as in question: "![description](picture.png)"'
)


# The patterns only a problem needs are kept as text: `re` compiles one when it is first used
# (and keeps it), so a deck without problems does not pay for them.
# YAML's line breaks: a file saved with CR only (old Macs) has lines too.
_LINE_BREAK = "\r\n|[\r\n\x85\u2028\u2029]"
# The start of a 'name:' line, list dash included: "  - question: Q" gives "  - " and "question".
_KEY_LINE = re.compile(r"(\s*(?:-\s+)?)([A-Za-z_]+)[ \t]*:(?:\s|$)")

_CARD_START = r"\s*-\s+(?:question|cloze)[ \t]*:"


def source_lines(text: str) -> list[str]:
    """The lines of a text as YAML counts them (CR, LF or CR LF endings)."""
    return re.split(_LINE_BREAK, text)


def line_at(text: str, index: int) -> int:
    """The 1-based line of the character at `index`, as YAML counts lines."""
    return len(re.findall(_LINE_BREAK, text[:index])) + 1


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> tuple[int, str]:
    """The line and the sentence for a YAML syntax error: the common mistakes are recognised
    from the lines themselves, so the message says what to change and where."""
    lines = source_lines(text)
    mark = error.problem_mark
    if mark and "escape" in (error.problem or ""):
        # libyaml refuses "\uD800"; the end of the quote is not the problem.
        for number in range(mark.line, -1, -1):
            escape = re.search(_SURROGATE_ESCAPE, lines[number]) if number < len(lines) else None
            if escape:
                return number + 1, _surrogate_message(escape.group())
    if "quoted scalar" in (error.context or "") and error.context_mark:
        mark = error.context_mark  # where the unclosed quote opened, not the end of the file
    line = mark.line + 1 if mark else 1
    first_card = next((n for n, row in enumerate(lines, 1) if re.match(_CARD_START, row)), 0)
    has_cards = any(re.match(r"cards[ \t]*:", row) for row in lines)
    if first_card and not has_cards and line >= first_card:
        return first_card, (
            "the cards are not under a cards: line; "
            "add a line cards: (with no spaces before it) above the first card"
        )
    if error.problem == "could not find expected ':'" and error.context_mark:
        line = error.context_mark.line + 1  # where the key began, not the end of the file
        dash = _DASH_NO_SPACE.fullmatch(lines[line - 1])
        return line, _dash_message(dash.group(1)) if dash else _missing_colon(lines[line - 1])
    if (error.problem or "").startswith("mapping values are not allowed"):
        # `- question Q2` then `answer: B`: YAML took both lines for one text.
        above = line - 1
        while above > 0 and not lines[above - 1].strip():
            above -= 1
        if above and not _KEY_LINE.match(lines[above - 1]):
            words = lines[above - 1].strip().removeprefix("- ").split(None, 1)
            if words and words[0] in CARD_KEYS + DECK_KEYS:
                return above, _missing_colon(lines[above - 1])
    too_deep = _indented_too_deep(lines, line)
    if too_deep:
        return line, too_deep
    for near in (line, line - 1):
        after_quote = _text_after_quote(lines, near)
        if after_quote:
            return near, after_quote
    return line, _yaml_message(error, text)


# `answer: "Paris" is the capital`: a quoted text, then more text after its closing quote.
_AFTER_QUOTE = (
    r"\s*(?:-\s+)?(?:([A-Za-z_]+)[ \t]*:[ \t]+)?([\"'])([^\"']*)\2[ \t]*([^\s#:,\]}].*?)\s*"
)


def _text_after_quote(lines: list[str], line: int) -> str | None:
    match = re.fullmatch(_AFTER_QUOTE, lines[line - 1]) if 1 <= line <= len(lines) else None
    if not match:
        return None
    key, quote, inside, rest = match.groups()
    other = "'" if quote == '"' else '"'
    whole = f"{other}{quote}{inside}{quote} {rest}{other}"
    example = f"{key}: {whole}" if key else f"- {whole}"
    return (
        f"text follows the closing quote of {quote}{inside}{quote}; put the whole text in "
        f"quotes, using the other kind inside, as in {example}"
    )


# `-solid` on a line of its own: a list point typed without the space after its dash
# (`-5` is a number, kept as typed).
_DASH_NO_SPACE = re.compile(r"[ \t]*-([^\s\d.\-].*?)\s*")


def _dash_message(rest: str) -> str:
    return (
        f"'-{rest}' looks like a list point without a space after its dash; put a space after "
        f"the dash (- {rest}), or put the text in quotes if the dash belongs to it"
    )


# "\uD800": half of a UTF-16 pair, not a character; libyaml refuses it, Python keeps it.
_SURROGATE_ESCAPE = r"\\(?:u|U0000)[dD][89a-fA-F][0-9a-fA-F]{2}"
_SURROGATE = "[\ud800-\udfff]"


def _surrogate_message(escape: str) -> str:
    return (
        f"“{escape}” is half of a character (a lone surrogate escape) and cannot be printed; "
        "type the character itself, or its full code such as \\U0001F600"
    )


def _missing_colon(line: str) -> str:
    words = line.strip().removeprefix("- ").split(None, 1)
    if words and words[0] in CARD_KEYS + DECK_KEYS:
        value = f" {words[1]}" if len(words) > 1 else ""
        return f"the colon is missing after '{words[0]}'; write {words[0]}:{value}"
    return (
        "this line has no colon; write it as 'name: value' (such as answer: 2), "
        "or indent it further if it goes on from the text above"
    )


def _indented_too_deep(lines: list[str], line: int) -> str | None:
    """A card's key indented further than the key above it: 'answer:' under '- question:'."""
    if not 1 < line <= len(lines):
        return None
    here = _KEY_LINE.match(lines[line - 1])
    if not here or here.group(2) not in CARD_KEYS or "-" in here.group(1):
        return None
    above = next((n for n in range(line - 1, 0, -1) if lines[n - 1].strip()), 0)
    previous = _KEY_LINE.match(lines[above - 1]) if above else None
    if not previous:
        return None
    extra = len(here.group(1)) - len(previous.group(1))
    if extra <= 0:
        return None
    spaces = "1 space" if extra == 1 else f"{extra} spaces"
    return (
        f"'{here.group(2)}:' is indented {spaces} more than '{previous.group(2)}:' on line "
        f"{above}; remove {spaces} so they start in the same column"
    )


def _yaml_message(error: yaml.MarkedYAMLError, text: str) -> str:
    """Turn a YAML syntax error into a sentence; the same for libyaml and pure-Python loaders."""
    problem = error.problem or ""
    mark = error.problem_mark
    if "another document" in problem:
        return "this file holds a second YAML document (a second '---'); keep one deck per file"
    at_tab = mark is not None and text[mark.index : mark.index + 1] == "\t"
    if "tab" in problem or ("cannot start any token" in problem and at_tab):
        return "this is not valid YAML: a tab is used for indentation; indent with spaces"
    if "cannot start any token" in problem:
        return (
            "this is not valid YAML: a text starts with a character YAML reserves "
            "(such as @ or `); put the text in quotes"
        )
    if problem.startswith("mapping values are not allowed"):
        return (
            "this is not valid YAML: a text contains ': ', which YAML reads as a new key; "
            "put the whole text in quotes"
        )
    if "undefined alias" in problem or "expected alphabetic or numeric character" in problem:
        return (
            "this is not valid YAML: a text starts with '*' or '&', which YAML reads as a "
            "reference; put the text in quotes"
        )
    if "quoted scalar" in (error.context or ""):
        return "this is not valid YAML: a quote is opened but never closed; add the closing quote"
    if "scanning a tag" in (error.context or ""):
        return _PICTURE_UNQUOTED
    return f"this is not valid YAML: {problem}; check the indentation and the colons"


def bad_character(error: yaml.reader.ReaderError, text: str, path: Path) -> Problem:
    """The problem of a character YAML refuses, in a deck or a printkit.yaml."""
    # libyaml reports a byte offset and Python a character offset: find the character itself.
    char = chr(error.character) if isinstance(error.character, int) else error.character
    index = max(text.find(char), 0)
    line = line_at(text, index)
    return Problem(
        path,
        line,
        f"this line contains an invisible control character "
        f"(U+{ord(char):04X}) that YAML does not allow; delete it",
    )


def first_line(text: str) -> str:
    """A text as quoted in a one-line message: its first line, with … when more follows."""
    lines = text.strip().splitlines() or [""]
    return lines[0] + " …" if len(lines) > 1 else lines[0]


def _line(node: yaml.Node) -> int:
    return node.start_mark.line + 1


def clean_text(text: str) -> str:
    """Text as a deck keeps it: without surrounding white space, in NFC (composed) form."""
    return unicodedata.normalize("NFC", text.strip())


# Unicode's default-ignorable characters (zero-width spaces and joiners, direction marks,
# variation selectors…): a text made only of these and spaces prints as nothing at all.
_INVISIBLE = re.compile(
    "[\\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]*"
)


def is_blank(text: str) -> bool:
    """True for a text that would print as nothing: empty, spaces, or only invisible characters."""
    return _INVISIBLE.fullmatch(text) is not None


def _text(node: yaml.ScalarNode) -> str:
    return clean_text(node.value)


def _kind(node: yaml.Node) -> str:
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if isinstance(node, yaml.MappingNode):
        return "a group of 'name: value' lines"
    return "text"


def _show_tag(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org") else tag


def _choices(names: tuple[str, ...]) -> str:
    return ", ".join(names[:-1]) + " and " + names[-1]


def _close_key(key: str, allowed: tuple[str, ...]) -> str | None:
    import difflib  # only a misspelt name needs it: 1 ms of import off other builds

    close = difflib.get_close_matches(key.lower(), allowed, n=1)
    return close[0] if close else None


class _DeckReader:
    """Walks the composed nodes once, building the deck and noting every problem."""

    def __init__(self, path: Path, lines: list[str] | None = None) -> None:
        self.path = path
        self.source_lines = lines or []
        self.problems: list[tuple[int, str]] = []
        self.refused: set[int] = set()  # ids of nodes already reported (bad tag, bad key)
        self.repeated: set[tuple[int, int]] = set()  # (mapping id, entry index) of duplicate keys
        self.misspelt: set[tuple[int, str]] = set()  # (mapping id, allowed key) a typo stood for

    def problem(self, node_or_line: yaml.Node | int, message: str) -> None:
        line = node_or_line if isinstance(node_or_line, int) else _line(node_or_line)
        self.problems.append((line, message))

    def read(self, root: yaml.Node | None) -> Deck:
        if root is None or (isinstance(root, yaml.ScalarNode) and not root.value.strip()):
            self.problem(1, "the deck is empty; start it with a title: line and a cards: list")
            self.fail()
        self.check_tree(root)
        if not isinstance(root, yaml.MappingNode):
            self.problem(
                root,
                f"a deck must be made of lines such as 'title: ...' and 'cards:', "
                f"but this file holds only {_kind(root)}",
            )
            self.fail()
        entries = self.entries(root, "at the top of the deck", DECK_KEYS)
        title = self.title(root, entries.get("title"))
        subject = self.subject(entries.get("subject"))
        options = self.options(entries.get("options"))
        cards = self.cards(root, entries.get("cards"))
        if self.problems:
            self.fail()
        return Deck(title, subject, cards, self.path, options)

    def fail(self) -> None:
        # A node reused through an alias is checked at each use: report its problems once.
        problems = sorted(dict.fromkeys(self.problems), key=lambda problem: problem[0])
        raise DeckError([Problem(self.path, line, message) for line, message in problems])

    # -- checks that apply everywhere: tags, keys, duplicates --------------------------------

    def check_cut_by_comment(self, node: yaml.ScalarNode) -> None:
        """A plain text followed by ` #3` lost "#3" to a YAML comment: teachers write
        "Homework #3". A comment written as `# note` (a space after #) is taken as meant."""
        end = node.end_mark
        if node.style or end is None or end.line >= len(self.source_lines):
            return
        match = _CUT_COMMENT.match(self.source_lines[end.line], end.column)
        if match:
            lost = match.group(1).rstrip()
            self.problem(
                end.line + 1,
                f"“{lost}” after “{first_line(node.value)}” is read as a YAML comment and would "
                "not print; "
                "put the whole text in quotes to keep it",
            )

    def check_dash_without_space(self, node: yaml.ScalarNode) -> None:
        """A plain text with a line of its own starting `-solid`: a list point whose space after
        the dash was forgotten, which YAML silently reads as text."""
        start, end = node.start_mark, node.end_mark
        if node.style or start is None or end is None:
            return
        for number in range(start.line, min(end.line + 1, len(self.source_lines))):
            row = self.source_lines[number]
            if number == start.line and row[: start.column].strip():
                continue  # the text starts after a key or a dash on this line: `answer: -5`
            dash = _DASH_NO_SPACE.fullmatch(row)
            if dash:
                self.problem(number + 1, _dash_message(dash.group(1)))

    def check_surrogates(self, node: yaml.ScalarNode) -> None:
        try:  # UTF-8 refuses surrogates and nothing else: quicker than a search for them
            node.value.encode("utf-8")
            return
        except UnicodeEncodeError:
            pass
        self.refused.add(id(node))
        start, end = node.start_mark.line, node.end_mark.line
        for number in range(start, min(end + 1, len(self.source_lines))):
            escape = re.search(_SURROGATE_ESCAPE, self.source_lines[number])
            if escape:
                self.problem(number + 1, _surrogate_message(escape.group()))
                return
        self.problem(node, _surrogate_message(repr(re.search(_SURROGATE, node.value).group())))

    def check_tree(self, root: yaml.Node) -> None:
        # Aliases make one node appear in many places: visit each once, so an alias bomb
        # (or an alias to itself) costs no more than the file's size.
        seen: set[int] = set()
        self.aliased: set[int] = set()
        stack = [root]
        while stack:
            node = stack.pop()
            if id(node) in seen:
                # Only an alias (*name) makes a node appear twice. Refusing aliases keeps the
                # deck simple to read and an alias bomb cheap to reject.
                if id(node) not in self.aliased:
                    self.aliased.add(id(node))
                    self.refused.add(id(node))
                    self.problem(
                        node,
                        "this entry is marked with an anchor (&) and reused with an alias (*), "
                        "which decks do not allow; write the text out in full each time",
                    )
                continue
            seen.add(id(node))
            if isinstance(node, yaml.ScalarNode):
                self.check_cut_by_comment(node)
                self.check_dash_without_space(node)
                self.check_surrogates(node)
                if len(node.value) > MAX_TEXT_CHARS:
                    self.refused.add(id(node))
                    self.problem(
                        node,
                        f"this text is {len(node.value):,} characters long, more than the "
                        f"{MAX_TEXT_CHARS:,} a card may hold; shorten it or split it into "
                        "several cards",
                    )
            if node.tag != _DEFAULT_TAGS[type(node)]:
                self.refused.add(id(node))
                if node.tag.startswith("!["):  # a picture, ![description](file), unquoted
                    self.problem(node, _PICTURE_UNQUOTED)
                    continue
                self.problem(
                    node,
                    "YAML tags such as !!python/object are not allowed; "
                    f"remove the tag {_show_tag(node.tag)}",
                )
            if isinstance(node, yaml.MappingNode):
                self.check_keys(node)
                for key, value in node.value:
                    stack.extend((key, value))
            elif isinstance(node, yaml.SequenceNode):
                stack.extend(node.value)

    def check_keys(self, mapping: yaml.MappingNode) -> None:
        first_line: dict[str, int] = {}
        for index, (key, _value) in enumerate(mapping.value):
            if not isinstance(key, yaml.ScalarNode):
                self.refused.add(id(key))
                self.problem(key, f"a key must be a plain name, not {_kind(key)}")
                continue
            name = _text(key)
            if name in first_line:
                self.repeated.add((id(mapping), index))
                self.problem(
                    key,
                    f"the key '{name}' appears twice (first on line {first_line[name]}); "
                    "keep only one of them",
                )
            else:
                first_line[name] = _line(key)

    def entries(
        self, mapping: yaml.MappingNode, where: str, allowed: tuple[str, ...]
    ) -> dict[str, Entry]:
        """The allowed keys of a mapping (first of any duplicates), noting unknown ones."""
        found: dict[str, Entry] = {}
        for index, (key, value) in enumerate(mapping.value):
            if id(key) in self.refused or (id(mapping), index) in self.repeated:
                continue
            name = _text(key)
            if name in allowed:
                found[name] = (key, value)
            elif allowed == DECK_KEYS and name in CARD_KEYS:
                self.problem(
                    key,
                    f"'{name}:' belongs to a card; put cards in a list under cards:, "
                    "each starting with '- question:'",
                )
            elif close := _close_key(name, allowed):
                # The misspelt key stands for the right one: no "has no ..." problem as well.
                self.misspelt.add((id(mapping), close))
                self.problem(key, f"unknown key '{name}' {where}; did you mean '{close}'?")
            else:
                choices = _choices(allowed)
                self.problem(
                    key, f"unknown key '{name}' {where}; the keys allowed here are {choices}"
                )
        return found

    def missing(self, mapping: yaml.Node, name: str, line: yaml.Node | int, message: str) -> None:
        """Note that a required key is missing, unless a misspelling of it was reported."""
        if (id(mapping), name) not in self.misspelt:
            self.problem(line, message)

    def scalar(self, value: yaml.Node, what: str) -> str | None:
        """The stripped text of a scalar, or None (with a problem noted) when it is not text."""
        if id(value) in self.refused:
            return None
        if not isinstance(value, yaml.ScalarNode):
            self.problem(value, f"{what} must be text, not {_kind(value)}")
            return None
        return _text(value)

    # -- the top level --------------------------------------------------------------------------

    def title(self, root: yaml.Node, entry: Entry | None) -> str:
        if entry is None:
            self.missing(
                root, "title", 1, "the deck has no title; add a line such as 'title: Fractions'"
            )
            return ""
        text = self.scalar(entry[1], "the title")
        if text is not None and is_blank(text):
            self.problem(entry[1], "the title is blank; write the deck's title after title:")
        return text or ""

    def subject(self, entry: Entry | None) -> str | None:
        if entry is None:
            return None
        return self.scalar(entry[1], "the subject") or None

    def options(self, entry: Entry | None) -> tuple[OptionSetting, ...]:
        if entry is None or id(entry[1]) in self.refused:
            return ()
        node = entry[1]
        if isinstance(node, yaml.ScalarNode) and not node.value.strip():
            return ()
        if not isinstance(node, yaml.MappingNode):
            self.problem(
                node,
                "options: must be settings written as 'name: value' lines "
                f"(such as paper: letter), not {_kind(node)}",
            )
            return ()
        # Option names and values are checked by the layouts (they know which ones exist).
        settings: list[OptionSetting] = []
        for name, (key, value) in self.all_entries(node).items():
            if isinstance(value, yaml.MappingNode) and id(value) not in self.refused:
                for inner, (inner_key, inner_value) in self.all_entries(value).items():
                    settings.extend(self.option(name, inner, inner_key, inner_value))
            else:
                settings.extend(self.option(None, name, key, value))
        return tuple(settings)

    def all_entries(self, mapping: yaml.MappingNode) -> dict[str, Entry]:
        """Every key of a mapping whose names are free (first of any duplicates)."""
        found: dict[str, Entry] = {}
        for index, (key, value) in enumerate(mapping.value):
            if id(key) not in self.refused and (id(mapping), index) not in self.repeated:
                found[_text(key)] = (key, value)
        return found

    def option(
        self, layout: str | None, name: str, key: yaml.Node, value: yaml.Node
    ) -> list[OptionSetting]:
        shown = f"{layout}: {name}" if layout else name
        if id(value) in self.refused:
            return []
        if not isinstance(value, yaml.ScalarNode):
            self.problem(value, f"the option '{shown}' must be a single value, not {_kind(value)}")
            return []
        text = _text(value)
        if not text:
            self.problem(
                key, f"the option '{shown}' has no value; write one after the colon or remove it"
            )
            return []
        return [OptionSetting(layout, name, text, _line(key))]

    # -- cards ----------------------------------------------------------------------------------

    def cards(self, root: yaml.Node, entry: Entry | None) -> tuple[Card, ...]:
        if entry is None:
            self.missing(root, "cards", 1, "the deck has no cards; add at least one under cards:")
            return ()
        key, node = entry
        if id(node) in self.refused:
            return ()
        if isinstance(node, yaml.ScalarNode) and not node.value.strip():
            node = yaml.SequenceNode(_SEQ_TAG, [], key.start_mark, key.end_mark)
        if not isinstance(node, yaml.SequenceNode):
            self.problem(
                node,
                f"cards: must be a list of cards, each starting with '- question:', "
                f"not {_kind(node)}",
            )
            return ()
        if not node.value:
            self.problem(key, "the deck has no cards; add at least one under cards:")
            return ()
        cards = (self.card(number, item) for number, item in enumerate(node.value, start=1))
        return tuple(card for card in cards if card is not None)

    def card(self, number: int, node: yaml.Node) -> Card | None:
        if id(node) in self.refused:
            return None
        if isinstance(node, yaml.ScalarNode) and not node.value.strip():
            self.problem(node, f"card {number} is empty; remove the lone '-' or fill the card in")
            return None
        if not isinstance(node, yaml.MappingNode):
            self.problem(
                node, f"card {number} must have question: and answer: lines, not {_kind(node)}"
            )
            return None
        entries = self.entries(node, f"in card {number}", CARD_KEYS)
        if "cloze" in entries:
            return self.cloze_card(number, node, entries)
        question = self.question(number, node, entries.get("question"))
        answer = self.answer(number, node, entries.get("answer"))
        tags = self.tags(number, entries.get("tags"))
        lines = self.whole_number(f"lines: of card {number}", entries.get("lines"), MAX_LINES)
        marks = self.whole_number(f"marks: of card {number}", entries.get("marks"), MAX_MARKS)
        wrong = self.wrong(number, entries.get("wrong"))
        if None in (question, answer, tags, wrong) or 0 in (lines, marks):
            return None
        is_list = isinstance(entries["answer"][1], yaml.SequenceNode)
        return Card(
            number, question, answer, is_list, tags, lines, _line(node), wrong=wrong, marks=marks
        )

    def cloze_card(self, number: int, node: yaml.Node, entries: dict[str, Entry]) -> Card | None:
        """A card written `cloze: "The {{mitochondrion}} is…"`: no question or answer of its
        own (the gaps are the answers), and no wrong choices (it is asked as a fill-in)."""
        for key in ("question", "answer", "wrong"):
            if key in entries:
                self.problem(
                    entries[key][0],
                    f"card {number} has both cloze: and {key}:; a cloze card's gaps are its "
                    f"answers, so remove {key}: or make it two cards",
                )
        key, value = entries["cloze"]
        text = self.scalar(value, f"the cloze of card {number}")
        if text == "":
            self.problem(
                value, f"the cloze of card {number} is blank; write the sentence after cloze:"
            )
        gaps = ()
        if text:
            from printkit.content.cloze import ClozeError, gaps_of

            try:
                gaps = gaps_of(text)
            except ClozeError as error:
                self.problem(value, f"the cloze of card {number} {error}")
                text = None
        tags = self.tags(number, entries.get("tags"))
        lines = self.whole_number(f"lines: of card {number}", entries.get("lines"), MAX_LINES)
        marks = self.whole_number(f"marks: of card {number}", entries.get("marks"), MAX_MARKS)
        mixed = any(key in entries for key in ("question", "answer", "wrong"))
        if not text or mixed or tags is None or 0 in (lines, marks):
            return None
        answers = tuple(gap.answer for gap in gaps)
        return Card(number, text, answers, False, tags, lines, _line(node), cloze=True, marks=marks)

    def question(self, number: int, card: yaml.Node, entry: Entry | None) -> str | None:
        if entry is None:
            self.missing(
                card,
                "question",
                card,
                f"card {number} has no question; add a question: line",
            )
            return None
        text = self.scalar(entry[1], f"the question of card {number}")
        if text is not None and is_blank(text):
            self.problem(
                entry[1], f"the question of card {number} is blank; write it after question:"
            )
            return None
        return text

    def answer(self, number: int, card: yaml.Node, entry: Entry | None) -> tuple[str, ...] | None:
        if entry is None:
            self.missing(card, "answer", card, f"card {number} has no answer; add an answer: line")
            return None
        node = entry[1]
        if id(node) in self.refused:
            return None
        if isinstance(node, yaml.MappingNode):
            self.problem(
                node,
                f"the answer of card {number} must be text or a list of points, not "
                f"{_kind(node)}; put the text in quotes if it contains ': '",
            )
            return None
        if isinstance(node, yaml.ScalarNode):
            text = _text(node)
            if is_blank(text):
                self.problem(node, f"the answer of card {number} is blank; write it after answer:")
                return None
            return (text,)
        if not node.value:
            self.problem(
                node, f"the answer of card {number} is an empty list; add at least one point"
            )
            return None
        points = [self.point(number, index, item) for index, item in enumerate(node.value, 1)]
        if any(point is None for point in points):
            return None
        return tuple(points)  # type: ignore[arg-type]

    def point(self, number: int, index: int, node: yaml.Node) -> str | None:
        what = f"point {index} of the answer of card {number}"
        if id(node) in self.refused:
            return None
        if isinstance(node, yaml.MappingNode):
            self.problem(
                node,
                f"{what} must be text, not a 'name: value' pair; "
                "put the point in quotes if it contains ': '",
            )
            return None
        if isinstance(node, yaml.SequenceNode):
            self.problem(
                node, f"{what} must be text, not a list; write it as one text or as separate points"
            )
            return None
        text = _text(node)
        if is_blank(text):
            self.problem(node, f"{what} is blank; write it or remove its '-'")
            return None
        return text

    def tags(self, number: int, entry: Entry | None) -> tuple[str, ...] | None:
        if entry is None or id(entry[1]) in self.refused:
            return ()
        node = entry[1]
        if isinstance(node, yaml.ScalarNode):
            text = _text(node)
            return (text,) if text else ()
        if isinstance(node, yaml.MappingNode):
            self.problem(
                node,
                f"the tags of card {number} must be a list of texts such as [dates, people], "
                f"not {_kind(node)}",
            )
            return None
        tags: list[str] = []
        for index, item in enumerate(node.value, start=1):
            text = self.scalar(item, f"tag {index} of card {number}")
            if text == "":
                self.problem(item, f"tag {index} of card {number} is blank; write it or remove it")
            if text:
                tags.append(text)
        return tuple(tags) if len(tags) == len(node.value) else None

    def wrong(self, number: int, entry: Entry | None) -> tuple[str, ...] | None:
        """Wrong choices for multiple choice: one text or a list of texts."""
        if entry is None:
            return ()
        node = entry[1]
        if id(node) in self.refused:
            return None
        if isinstance(node, yaml.ScalarNode):
            text = _text(node)
            if not text:
                self.problem(
                    node, f"wrong: of card {number} is blank; write a wrong answer or remove it"
                )
                return None
            return (text,)
        if isinstance(node, yaml.MappingNode):
            self.problem(
                node,
                f"wrong: of card {number} must be a list of wrong answers such as "
                f"[Paris, Rome], not {_kind(node)}",
            )
            return None
        texts = [
            self.scalar(item, f"wrong answer {i} of card {number}")
            for i, item in enumerate(node.value, 1)
        ]
        for index, (item, text) in enumerate(zip(node.value, texts, strict=True), start=1):
            if text == "":
                self.problem(
                    item, f"wrong answer {index} of card {number} is blank; write it or remove it"
                )
        if not all(texts):
            return None
        return tuple(texts)  # type: ignore[arg-type]

    def whole_number(self, what: str, entry: Entry | None, maximum: int) -> int | None:
        """A whole number from 1 to `maximum` (lines:, marks:), None when not given, 0 when
        wrong (problem noted)."""
        if entry is None:
            return None
        node = entry[1]
        if id(node) in self.refused:
            return 0
        if not isinstance(node, yaml.ScalarNode):
            self.problem(node, f"{what} must be a whole number such as 4, not {_kind(node)}")
            return 0
        text = _text(node)
        if not text:
            self.problem(node, f"{what} has no value; write a whole number such as 4 or remove it")
            return 0
        if not re.fullmatch(r"-?[0-9]+", text):
            self.problem(node, f"{what} must be a whole number such as 4, not '{text}'")
            return 0
        if int(text) < 1:
            self.problem(node, f"{what} must be at least 1, not {text}")
            return 0
        if int(text) > maximum:
            note = " (two pages of lines)" if maximum == MAX_LINES else ""
            self.problem(node, f"{what} must be at most {maximum}{note}, not {text}")
            return 0
        return int(text)
