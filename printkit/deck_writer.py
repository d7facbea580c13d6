"""Write a deck as tidy YAML a person can read and edit: block style, quotes only where needed.

Every text is written so that `load_deck` (and any YAML 1.1 or 1.2 reader) gives it back exactly.
"""

from __future__ import annotations

import re

import yaml

from printkit.deck import Card, Deck

_STR_TAG = "tag:yaml.org,2002:str"
# A YAML 1.1 resolver: it turns yes/no/on/off, ~, null, numbers, dates, '<<' and '=' into
# something other than text, so such texts are quoted even though printkit itself reads them as text.
_RESOLVER = yaml.resolver.Resolver()
# YAML 1.2 adds 0o17 octals; everything else of its core schema is already matched by 1.1.
_YAML12_OCTAL = re.compile(r"[-+]?0o[0-7]+")

# Characters that must be escaped in double quotes: YAML's non-printable ones, plus the ones a
# reader would treat as line breaks (\r, NEL, LS, PS), tabs (invisible in an editor) and the BOM.
_ESCAPED = re.compile(
    "[^\n\x20-\x7e\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]|[\u2028\u2029]"
)
_NAMED_ESCAPES = {
    "\\": "\\\\",
    '"': '\\"',
    "\n": "\\n",
    "\t": "\\t",
    "\r": "\\r",
    "\x85": "\\N",
    "\u2028": "\\L",
    "\u2029": "\\P",
}
# A plain (unquoted) text may not start with one of these: YAML gives them a meaning there.
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@`")
# PyYAML reads a "?" anywhere inside [...] as a key mark, so flow texts with one are quoted.
_FLOW_INDICATORS = frozenset(",[]{}?")


def deck_to_yaml(deck: Deck, comment: str | None = None) -> str:
    """The deck as YAML text: title, subject, then the cards in order, each a block."""
    lines = [f"# {line}".rstrip() for line in comment.splitlines()] if comment else []
    lines.append(f"title: {scalar(deck.title, 0)}")
    if deck.subject:
        lines.append(f"subject: {scalar(deck.subject, 0)}")
    lines.append("cards:")
    for card in deck.cards:
        lines.extend(_card_lines(card))
    return "\n".join(lines) + "\n"


def _card_lines(card: Card) -> list[str]:
    if card.cloze:  # the sentence holds its gaps, which are its answers
        lines = [f"  - cloze: {scalar(card.question, 4)}"]
    elif card.is_list:
        lines = [f"  - question: {scalar(card.question, 4)}"]
        lines.append("    answer:")
        lines.extend(f"      - {scalar(point, 8)}" for point in card.answer)
    else:
        lines = [f"  - question: {scalar(card.question, 4)}"]
        lines.append(f"    answer: {scalar(card.answer[0], 4)}")
    if card.tags:
        lines.append(f"    tags: [{', '.join(scalar(tag, 4, flow=True) for tag in card.tags)}]")
    if card.lines is not None:
        lines.append(f"    lines: {card.lines}")
    return lines


def scalar(text: str, indent: int, *, flow: bool = False) -> str:
    """`text` as a YAML value, written after 'key: ' or '- ' on a line indented by `indent`.

    Plain when YAML reads it back as the same text, otherwise the lightest quoting that does:
    a literal block for several lines, single quotes, and double quotes (with escapes) last.
    """
    if _plain_ok(text, flow):
        return text
    if _ESCAPED.search(text) is None:
        if "\n" not in text:
            return "'" + text.replace("'", "''") + "'"
        if not flow and _literal_ok(text):
            pad = " " * (indent + 2)
            return "|-\n" + "\n".join(pad + line if line else "" for line in text.split("\n"))
    return '"' + _ESCAPED_ANY.sub(_escape, text) + '"'


_ESCAPED_ANY = re.compile('[\\\\"\n]|' + _ESCAPED.pattern)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02X}"
    if code <= 0xFFFF:
        return f"\\u{code:04X}"
    return f"\\U{code:08X}"


def _plain_ok(text: str, flow: bool) -> bool:
    if not text or text[0] in _INDICATORS or text[0] == " " or text[-1] in " :":
        return False
    if ": " in text or " #" in text or "\n" in text or _ESCAPED.search(text):
        return False
    if text.startswith(("...", "---")):
        return False
    if flow and (":" in text or any(char in _FLOW_INDICATORS for char in text)):
        return False
    if _YAML12_OCTAL.fullmatch(text):
        return False
    return _RESOLVER.resolve(yaml.ScalarNode, text, (True, False)) == _STR_TAG


def _literal_ok(text: str) -> bool:
    # A literal block keeps every line as typed, but its first line sets the indentation and
    # the '-' chomping drops final line breaks; trailing spaces would be invisible to an editor.
    if text[0] in " \n" or text.endswith("\n"):
        return False
    return not any(line.endswith(" ") for line in text.split("\n"))
