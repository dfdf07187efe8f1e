"""Text that prints on one line as it reads: what a name or a note may hold, and how a
log line shows text from outside.

Names and notes end up in mail headers, texts, tables and calendar feeds, where a line
feed breaks a header for good, a tab shifts a column, and a direction override shows a
text reversed. They are refused where they come in (command line, web, imports) with one
line naming the field, rather than cleaned silently. Text from outside that a log line
repeats (a URL, a form field) is escaped instead (`for_log`): a line feed in it would
otherwise start a forged line of its own.
"""

import unicodedata

# Cc: control characters (tab, line feed, carriage return, DEL, C1); Cf: format characters
# (direction overrides, zero-width joiners, the BOM, soft hyphen); Zl, Zp: the line and
# paragraph separators U+2028 and U+2029; Cs: lone surrogates, which no database stores.
REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})
SHOWN = 60  # characters of a refused value the error repeats


class NotPlainText(ValueError):
    """A name or note holding a character that does not print on one line."""


def first_unprintable(text):
    """(position from 0, character) of the first character a name may not hold, or None."""
    for position, character in enumerate(text or ""):
        if unicodedata.category(character) in REFUSED_CATEGORIES:
            return position, character
    return None


def plain(text, what, error=NotPlainText):
    """`text` unchanged when it holds no control, format or line-separator character;
    else `error` (the caller's own kind) with one line naming `what` and the character."""
    found = first_unprintable(text)
    if found is None:
        return text
    position, character = found
    shown = text if len(text) <= SHOWN else text[:SHOWN] + "…"
    # repr() escapes every character refused here, so the message stays one line
    raise error(f"{what} {shown!r} holds a control character (U+{ord(character):04X}, "
                f"character {position + 1}): use plain text")


def one_line(text):
    """Text from someone else's system (a calendar's event title) made plain: line breaks
    and other control characters become spaces, format characters go, spaces collapse."""
    kept = []
    for character in text or "":
        category = unicodedata.category(character)
        if category in ("Cf", "Cs"):
            continue
        kept.append(" " if category in REFUSED_CATEGORIES else character)
    return " ".join("".join(kept).split())


def for_log(value):
    """`value` (text from outside: a URL, a form field, a header) as a log line may hold it:
    a character that would end the line or hide what follows is written as its escape
    (\\n, \\x1b, \\u202e) and a backslash is doubled, so a line feed in a URL never starts a
    line of its own and no escape can be faked."""
    text = str(value)
    if text.isprintable() and "\\" not in text:  # nearly always: nothing to do
        return text
    return "".join(repr(character)[1:-1]
                   if character == "\\" or unicodedata.category(character) in REFUSED_CATEGORIES
                   else character for character in text)
