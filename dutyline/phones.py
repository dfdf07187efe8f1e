"""Phone numbers in, E.164 out."""

import unicodedata

import phonenumbers


class InvalidNumber(ValueError):
    """A phone number that cannot be dialled."""


def without_format_characters(text):
    """`text` without Unicode format characters (category Cf: direction overrides and
    isolates, zero-width spaces and joiners, the BOM): invisible, they only make a number
    read reversed or fail to match. Every number, wherever it comes from, goes through here."""
    return "".join(ch for ch in text or "" if unicodedata.category(ch) != "Cf")


def to_e164(text, region):
    """Parse a phone number as people write it (national numbers as in `region`, the
    settings' phone_region) and return it in E.164, or raise InvalidNumber."""
    raw = without_format_characters(text).strip()
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise InvalidNumber(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_valid_number(parsed):
        raise InvalidNumber(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


# What carriers and Twilio put in From when the caller withholds the number: the words, and
# the same words spelt on a keypad (ANONYMOUS = 266696687, RESTRICTED = 7378742833, ...)
WITHHELD_WORDS = {"anonymous", "restricted", "unknown", "unavailable", "private", "blocked",
                  "withheld"}
WITHHELD_DIGITS = {"266696687", "7378742833", "8656696", "2562533"}


def is_withheld(number):
    """True when a caller's From says the number was withheld (or says nothing)."""
    text = without_format_characters(number).strip()
    return (not text or text.lower() in WITHHELD_WORDS
            or text.lstrip("+") in WITHHELD_DIGITS)


def is_mobile(e164):
    """True when the number is a mobile one (texts can reach it)."""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    kind = phonenumbers.number_type(parsed)
    return kind in (phonenumbers.PhoneNumberType.MOBILE,
                    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)


def masked(number):
    """A number as logs may show it: the country code and the last three digits only."""
    text = str(number or "")
    if "@" in text or "://" in text:  # an e-mail address or a URL: the domain is enough
        return "…" + text[text.index("@"):] if "@" in text else text.split("/")[2]
    if len(text) <= 6:
        return "…" if text else "-"
    return f"{text[:3]}…{text[-3:]}"


def spoken(e164):
    """The number as a voice should read it: digit by digit, national format."""
    try:
        parsed = phonenumbers.parse(e164, None)
        national = phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    except phonenumbers.NumberParseException:
        national = e164 or "an unknown number"
    return " ".join(ch for ch in national if ch.isdigit()) or "an unknown number"
