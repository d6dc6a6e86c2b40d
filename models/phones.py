"""Phone numbers: E.164 everywhere inside, French numbers by default, masked in logs.

phonenumbers (Google's libphonenumber port) knows every national format: "06 12 34 56 78",
"0033612345678", "+33 6 12 34 56 78" and Telegram's "33612345678" (no plus) all become
"+33612345678".
"""

from __future__ import annotations

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

DEFAULT_REGION = "FR"


class PhoneError(ValueError):
    """A number we cannot read; the message says why, for import reports and replies."""


def normalise(raw: str, region: str = DEFAULT_REGION) -> str:
    text = (raw or "").strip()
    if not text:
        raise PhoneError("empty phone number")
    digits = "".join(c for c in text if c.isdigit())
    if not text.startswith(("+", "0")) and len(digits) > 10:
        text = "+" + digits  # Telegram shares contacts as "33612345678", without the plus
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException as exc:
        raise PhoneError(f"unreadable phone number {raw!r}: {exc}") from None
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def international(raw: str) -> str | None:
    """A number that is international by contract, or None: Telegram's shared contacts
    ("687751234" is +687, New Caledonia; Telegram drops the "+") and Twilio's From.

    Never read with a default region: as a French national number "687751234" would become
    +33 6 87 75 12 34, someone else's phone."""
    text = (raw or "").strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    elif not text.startswith("+"):
        text = "+" + text
    try:
        number = phonenumbers.parse(text, None)
    except NumberParseException:
        return None
    # possible, not only valid: the provider has already reached it ("+44 7700 900123" is a
    # reserved drama range libphonenumber calls invalid, yet Telegram reports it)
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def sender(raw: str) -> str:
    """A sender's number as a provider would give it: "+44 7700 900123" taken as Twilio's From
    (possible is enough, see `international`), a national number read as French."""
    text = (raw or "").strip()
    if text.startswith("+"):
        number = international(text)
        if number is None:
            raise PhoneError(f"not a valid phone number: {raw!r}")
        return number
    return normalise(text)


def try_normalise(raw: str, region: str = DEFAULT_REGION) -> str | None:
    try:
        return normalise(raw, region)
    except PhoneError:
        return None


def is_mobile(e164: str) -> bool:
    """Whether an SMS can reach it (landlines cannot take our texts; Twilio error 21614)."""
    kind = phonenumbers.number_type(phonenumbers.parse(e164))
    return kind in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE_OR_MOBILE)


def is_french_landline(e164: str) -> bool:
    """A French fixed line (01–05, 09 fixed ranges): no text reaches it, a phone call does."""
    try:
        number = phonenumbers.parse(e164)
    except NumberParseException:
        return False
    return (
        phonenumbers.region_code_for_number(number) == DEFAULT_REGION
        and phonenumbers.number_type(number) == PhoneNumberType.FIXED_LINE
    )


def mask(value: str | None) -> str:
    """Enough of a number or id to follow a conversation in the logs, not enough to dial it."""
    if not value:
        return "-"
    if len(value) <= 4:
        return "•" * len(value)
    return value[:3] + "•" * (len(value) - 5) + value[-2:]


def is_fixed_line(e164: str) -> bool:
    """A landline (a French 01–05 number): no SMS reaches it, a phone call does."""
    return phonenumbers.number_type(phonenumbers.parse(e164)) is PhoneNumberType.FIXED_LINE
