"""Vietnamese text in pre-Unicode encodings (TCVN3/ABC, VNI-Windows) and how to repair it.

Why this exists: government GIS files from before ~2010 (and many still made today with old
fonts) store names in TCVN3 or VNI bytes, and nothing in a shapefile says so. GDAL then
decodes the bytes as Latin-1/cp1252 and the names arrive as mojibake: "Ph­êng" (TCVN3) or
"Phöôøng" (VNI) for "Phường". The bytes are recoverable from such text (each character came
from one byte), so a field can be re-decoded once we know which table it was written with.
Which table is decided per field by scoring how many words become valid Vietnamese
syllables: a wrong table produces impossible words ("Phửụứng", "cafộ"), the right one
produces real ones.

TCVN3 here is TCVN 5712:1993 VN1 (the superset glibc calls TCVN5712-1): the ABC fonts'
lower case plus upper-case letters in the C0/C1 positions. Text typed with the ABC
capital fonts (.VnTimeH) used the lower-case codes, so it decodes to lower case: the case
lived in the font, not in the bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from typing import Any

TCVN3 = "TCVN3"
VNI = "VNI"
UTF8 = "UTF-8"
CP1258 = "Windows-1258"

# Byte → Unicode for every TCVN3 (VN1) byte that differs from Latin-1. Data from the
# standard's code chart (the same table as glibc's TCVN5712-1).
TCVN3_TABLE: dict[int, str] = {
    0x01: "Ú", 0x02: "Ụ", 0x04: "Ừ", 0x05: "Ử", 0x06: "Ữ", 0x11: "Ứ", 0x12: "Ự", 0x13: "Ỳ",
    0x14: "Ỷ", 0x15: "Ỹ", 0x16: "Ý", 0x17: "Ỵ", 0x80: "À", 0x81: "Ả", 0x82: "Ã", 0x83: "Á",
    0x84: "Ạ", 0x85: "Ặ", 0x86: "Ậ", 0x87: "È", 0x88: "Ẻ", 0x89: "Ẽ", 0x8A: "É", 0x8B: "Ẹ",
    0x8C: "Ệ", 0x8D: "Ì", 0x8E: "Ỉ", 0x8F: "Ĩ", 0x90: "Í", 0x91: "Ị", 0x92: "Ò", 0x93: "Ỏ",
    0x94: "Õ", 0x95: "Ó", 0x96: "Ọ", 0x97: "Ộ", 0x98: "Ờ", 0x99: "Ở", 0x9A: "Ỡ", 0x9B: "Ớ",
    0x9C: "Ợ", 0x9D: "Ù", 0x9E: "Ủ", 0x9F: "Ũ", 0xA1: "Ă", 0xA2: "Â", 0xA3: "Ê", 0xA4: "Ô",
    0xA5: "Ơ", 0xA6: "Ư", 0xA7: "Đ", 0xA8: "ă", 0xA9: "â", 0xAA: "ê", 0xAB: "ô", 0xAC: "ơ",
    0xAD: "ư", 0xAE: "đ", 0xAF: "Ằ", 0xB0: "\u0300", 0xB1: "\u0309", 0xB2: "\u0303",
    0xB3: "\u0301", 0xB4: "\u0323", 0xB5: "à", 0xB6: "ả", 0xB7: "ã", 0xB8: "á", 0xB9: "ạ",
    0xBA: "Ẳ", 0xBB: "ằ", 0xBC: "ẳ", 0xBD: "ẵ", 0xBE: "ắ", 0xBF: "Ẵ", 0xC0: "Ắ", 0xC1: "Ầ",
    0xC2: "Ẩ", 0xC3: "Ẫ", 0xC4: "Ấ", 0xC5: "Ề", 0xC6: "ặ", 0xC7: "ầ", 0xC8: "ẩ", 0xC9: "ẫ",
    0xCA: "ấ", 0xCB: "ậ", 0xCC: "è", 0xCD: "Ể", 0xCE: "ẻ", 0xCF: "ẽ", 0xD0: "é", 0xD1: "ẹ",
    0xD2: "ề", 0xD3: "ể", 0xD4: "ễ", 0xD5: "ế", 0xD6: "ệ", 0xD7: "ì", 0xD8: "ỉ", 0xD9: "Ễ",
    0xDA: "Ế", 0xDB: "Ồ", 0xDC: "ĩ", 0xDD: "í", 0xDE: "ị", 0xDF: "ò", 0xE0: "Ổ", 0xE1: "ỏ",
    0xE2: "õ", 0xE3: "ó", 0xE4: "ọ", 0xE5: "ồ", 0xE6: "ổ", 0xE7: "ỗ", 0xE8: "ố", 0xE9: "ộ",
    0xEA: "ờ", 0xEB: "ở", 0xEC: "ỡ", 0xED: "ớ", 0xEE: "ợ", 0xEF: "ù", 0xF0: "Ỗ", 0xF1: "ủ",
    0xF2: "ũ", 0xF3: "ú", 0xF4: "ụ", 0xF5: "ừ", 0xF6: "ử", 0xF7: "ữ", 0xF8: "ứ", 0xF9: "ự",
    0xFA: "ỳ", 0xFB: "ỷ", 0xFC: "ỹ", 0xFD: "ý", 0xFE: "ỵ", 0xFF: "Ố",
}  # fmt: skip

# Unicode letter → VNI-Windows bytes (written as their Latin-1 characters). VNI stores most
# toned vowels as a base letter plus one "mark" byte; ơ ư đ and the i/ỵ forms are one byte.
VNI_TABLE: dict[str, str] = {
    "Á": "AÙ", "À": "AØ", "Ả": "AÛ", "Ã": "AÕ", "Ạ": "AÏ", "Â": "AÂ", "Ấ": "AÁ", "Ầ": "AÀ",
    "Ẩ": "AÅ", "Ẫ": "AÃ", "Ậ": "AÄ", "Ă": "AÊ", "Ắ": "AÉ", "Ằ": "AÈ", "Ẳ": "AÚ", "Ẵ": "AÜ",
    "Ặ": "AË", "É": "EÙ", "È": "EØ", "Ẻ": "EÛ", "Ẽ": "EÕ", "Ẹ": "EÏ", "Ê": "EÂ", "Ế": "EÁ",
    "Ề": "EÀ", "Ể": "EÅ", "Ễ": "EÃ", "Ệ": "EÄ", "Ó": "OÙ", "Ò": "OØ", "Ỏ": "OÛ", "Õ": "OÕ",
    "Ọ": "OÏ", "Ô": "OÂ", "Ố": "OÁ", "Ồ": "OÀ", "Ổ": "OÅ", "Ỗ": "OÃ", "Ộ": "OÄ", "Ơ": "Ô",
    "Ớ": "ÔÙ", "Ờ": "ÔØ", "Ở": "ÔÛ", "Ỡ": "ÔÕ", "Ợ": "ÔÏ", "Ú": "UÙ", "Ù": "UØ", "Ủ": "UÛ",
    "Ũ": "UÕ", "Ụ": "UÏ", "Ư": "Ö", "Ứ": "ÖÙ", "Ừ": "ÖØ", "Ử": "ÖÛ", "Ữ": "ÖÕ", "Ự": "ÖÏ",
    "Í": "Í", "Ì": "Ì", "Ỉ": "Æ", "Ĩ": "Ó", "Ị": "Ò", "Ý": "YÙ", "Ỳ": "YØ", "Ỷ": "YÛ",
    "Ỹ": "YÕ", "Ỵ": "Î", "Đ": "Ñ",
    "á": "aù", "à": "aø", "ả": "aû", "ã": "aõ", "ạ": "aï", "â": "aâ", "ấ": "aá", "ầ": "aà",
    "ẩ": "aå", "ẫ": "aã", "ậ": "aä", "ă": "aê", "ắ": "aé", "ằ": "aè", "ẳ": "aú", "ẵ": "aü",
    "ặ": "aë", "é": "eù", "è": "eø", "ẻ": "eû", "ẽ": "eõ", "ẹ": "eï", "ê": "eâ", "ế": "eá",
    "ề": "eà", "ể": "eå", "ễ": "eã", "ệ": "eä", "ó": "où", "ò": "oø", "ỏ": "oû", "õ": "oõ",
    "ọ": "oï", "ô": "oâ", "ố": "oá", "ồ": "oà", "ổ": "oå", "ỗ": "oã", "ộ": "oä", "ơ": "ô",
    "ớ": "ôù", "ờ": "ôø", "ở": "ôû", "ỡ": "ôõ", "ợ": "ôï", "ú": "uù", "ù": "uø", "ủ": "uû",
    "ũ": "uõ", "ụ": "uï", "ư": "ö", "ứ": "öù", "ừ": "öø", "ử": "öû", "ữ": "öõ", "ự": "öï",
    "í": "í", "ì": "ì", "ỉ": "æ", "ĩ": "ó", "ị": "ò", "ý": "yù", "ỳ": "yø", "ỷ": "yû",
    "ỹ": "yõ", "ỵ": "î", "đ": "ñ",
}  # fmt: skip

_TCVN3_DECODE = [TCVN3_TABLE.get(b, chr(b)) for b in range(256)]
_TCVN3_ENCODE = {ch: bytes([b]) for b, ch in TCVN3_TABLE.items() if len(ch) == 1}
_VNI_DECODE = {seq: ch for ch, seq in VNI_TABLE.items()}
# cp1252 gives printable characters to most of 0x80–0x9F; Latin-1 decoding (GDAL's default
# for a DBF without .cpg) gives C1 controls there. Accept both on the way back to bytes.
_CP1252_BACK = {
    bytes([b]).decode("cp1252"): b
    for b in range(0x80, 0xA0)
    if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)  # undefined in cp1252
}
_TONE_MARKS = frozenset("\u0300\u0301\u0303\u0309\u0323")
# The vowel groups of Vietnamese spelling (tone marks removed). Listing them, rather than
# allowing any run of vowels, is what rejects VNI read as Latin-1: "Taân", "Phuù".
_NUCLEI = (
    "iêu", "yêu", "oai", "oao", "oay", "oeo", "uây", "uôi", "uya", "uyê", "uyu", "ươi", "ươu",
    "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu", "ia", "iê", "iu", "oa", "oă", "oe", "oi",
    "ôi", "ơi", "oo", "ua", "uâ", "uê", "ui", "uô", "uơ", "uy", "ưa", "ưi", "ươ", "ưu", "yê",
    "a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y",
)  # fmt: skip
_SYLLABLE = re.compile(
    r"(ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdđghklmnprstvx])?"
    f"({'|'.join(_NUCLEI)})"
    r"(ch|ng|nh|[cmnpt])?"
)
# Words are split on what all these encodings leave alone: ASCII spaces, digits, punctuation.
_SEPARATORS = re.compile(r"[\s0-9!-/:-@\[-`{-~]+")
MIN_SCORE = 0.9
"""Share of the affected words that must become valid Vietnamese to convert a field."""


def decode_tcvn3(data: bytes) -> str:
    """TCVN3 bytes → Unicode NFC (the table's combining tone marks are composed)."""
    return unicodedata.normalize("NFC", "".join(_TCVN3_DECODE[b] for b in data))


def encode_tcvn3(text: str) -> bytes:
    """Unicode → TCVN3 bytes; ValueError for a character the table cannot hold."""
    out = bytearray()
    for ch in unicodedata.normalize("NFC", text):
        if ch in _TCVN3_ENCODE:
            out += _TCVN3_ENCODE[ch]
        elif ord(ch) < 0x80:
            out.append(ord(ch))
        else:
            raise ValueError(f"{ch!r} has no TCVN3 code")
    return bytes(out)


def decode_vni(data: bytes) -> str:
    """VNI-Windows bytes → Unicode NFC, matching two-byte sequences before single bytes."""
    text = data.decode("latin-1")
    out: list[str] = []
    i = 0
    while i < len(text):
        pair = text[i : i + 2]
        if len(pair) == 2 and pair in _VNI_DECODE:
            out.append(_VNI_DECODE[pair])
            i += 2
        else:
            out.append(_VNI_DECODE.get(text[i], text[i]))
            i += 1
    return unicodedata.normalize("NFC", "".join(out))


def encode_vni(text: str) -> bytes:
    """Unicode → VNI-Windows bytes; ValueError for a character VNI cannot hold."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch in VNI_TABLE:
            out.append(VNI_TABLE[ch])
        elif ord(ch) < 0x80:
            out.append(ch)
        else:
            raise ValueError(f"{ch!r} has no VNI code")
    return "".join(out).encode("latin-1")


def _decode_utf8(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("utf-8"))


def _decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258"))


DECODERS: dict[str, Callable[[bytes], str]] = {
    UTF8: _decode_utf8,
    TCVN3: decode_tcvn3,
    VNI: decode_vni,
    CP1258: _decode_cp1258,
}
"""Candidate encodings, in the order that breaks a tie in score."""


def recover_bytes(text: str) -> bytes | None:
    """The bytes that ``text`` was decoded from as Latin-1 or cp1252, or None.

    None means the text holds a character no single-byte Western decoding produces (such as
    "ư"): it is real Unicode, not mojibake.
    """
    out = bytearray()
    for ch in text:
        code = ord(ch)
        if code < 0x100:
            out.append(code)
        elif ch in _CP1252_BACK:
            out.append(_CP1252_BACK[ch])
        else:
            return None
    return bytes(out)


def is_vietnamese_word(word: str) -> bool:
    """True when ``word`` is spelled like one Vietnamese syllable (at most one tone mark)."""
    decomposed = unicodedata.normalize("NFD", word.lower())
    if sum(ch in _TONE_MARKS for ch in decomposed) > 1:
        return False
    base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONE_MARKS))
    return _SYLLABLE.fullmatch(base) is not None


def _share_valid(words: list[str]) -> float:
    return sum(map(is_vietnamese_word, words)) / len(words)


def detect_legacy_encoding(values: Iterable[str | None]) -> str | None:
    """The encoding a column of mojibake strings was written in, or None to leave it alone.

    Only words that hold a non-ASCII letter are judged: punctuation such as an en dash
    ("–" is byte 0x96, "Ọ" in TCVN3) proves nothing. None for ASCII-only columns, columns
    holding real Unicode, and columns where no candidate turns at least ``MIN_SCORE`` of
    those words into Vietnamese syllables and beats the text as it stands ("Gò" stays).
    """
    texts = [v for v in values if v and not v.isascii()]
    if not texts or any(recover_bytes(t) is None for t in texts):
        return None
    words = [
        w
        for t in texts
        for w in _SEPARATORS.split(t)
        if not w.isascii() and any(c.isalpha() for c in w)
    ]
    if not words:
        return None
    raw = [recover_bytes(w) or b"" for w in words]
    best_name, best_score = None, _share_valid(words)
    for name, decode in DECODERS.items():
        try:
            score = _share_valid([decode(data) for data in raw])
        except UnicodeDecodeError:
            continue
        if score >= MIN_SCORE and score > best_score:
            best_name, best_score = name, score
    return best_name


def convert(text: str, encoding: str) -> str:
    """Re-decode one mojibake string with ``encoding`` (a key of ``DECODERS``).

    Strings whose bytes cannot be recovered or decoded are returned unchanged (NFC).
    """
    data = recover_bytes(text)
    if data is None or data.isascii():
        return unicodedata.normalize("NFC", text)
    try:
        return DECODERS[encoding](data)
    except UnicodeDecodeError:
        return unicodedata.normalize("NFC", text)


def repair_records(records: list[dict[str, Any]], fields: Iterable[str]) -> list[str]:
    """Re-decode legacy-encoded text columns of ``records`` in place; NFC every string.

    Returns one message per converted column, for the import's warnings.
    """
    messages = []
    for name in fields:
        strings = [r[name] for r in records if isinstance(r.get(name), str)]
        encoding = detect_legacy_encoding(strings)
        for record in records:
            value = record.get(name)
            if isinstance(value, str):
                record[name] = (
                    convert(value, encoding) if encoding else unicodedata.normalize("NFC", value)
                )
        if encoding:
            messages.append(f"converted field '{name}' from {encoding} to Unicode")
    return messages
