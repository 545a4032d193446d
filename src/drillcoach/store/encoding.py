"""How values are kept in SQLite: times as whole microseconds since 1970 UTC, event ids
as 16 bytes when they are canonical UUIDs, key points hit as a bit mask."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def micros(moment: datetime) -> int:
    if moment.tzinfo is None:
        raise ValueError("expected a timezone-aware datetime")
    return (moment - EPOCH) // MICROSECOND


def micros_of_text(text: str) -> int:
    return micros(datetime.fromisoformat(text))


def moment(value: int) -> datetime:
    return EPOCH + timedelta(microseconds=value)


CANONICAL_UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def event_key(event_id: str) -> bytes | str:
    """An event id as stored: 16 bytes when it is a canonical UUID, else the text."""
    if CANONICAL_UUID.fullmatch(event_id):
        return bytes.fromhex(event_id.replace("-", ""))
    return event_id


def event_id(key: bytes | str) -> str:
    if isinstance(key, str):
        return key
    text = key.hex()
    return f"{text[:8]}-{text[8:12]}-{text[12:16]}-{text[16:20]}-{text[20:]}"


def mask(indexes: Iterable[int]) -> int | None:
    bits = sum(1 << index for index in set(indexes))
    return bits or None


def indexes(bits: int | None) -> tuple[int, ...]:
    return tuple(index for index in range((bits or 0).bit_length()) if bits and bits >> index & 1)
