"""Character set detection for contact exports.

Address books write files in many encodings: UTF-8 with or without a byte
order mark, UTF-16 without one, or an 8-bit Windows code page that the file
does not declare. These helpers tell them apart without any outside library.
"""

import codecs
import unicodedata

UTF8 = "utf-8"

# 8-bit code pages tried, in this order, on text that is not valid UTF-8.
# The first one wins a tie: Western European exports are the most common.
FALLBACK_CHARSETS = ("cp1252", "cp1250", "cp1251")

CHARSET_LABELS = {
    "utf-8": "UTF-8",
    "utf-16-be": "UTF-16 BE",
    "utf-16-le": "UTF-16 LE",
    "cp1252": "Windows-1252",
    "cp1250": "Windows-1250",
    "cp1251": "Windows-1251",
    "cp932": "Shift_JIS",
}

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
)

# Polish, Czech, Slovak, Slovenian... letters a Spanish or French reader
# would never put before a consonant: in Spanish "ñ" is followed by a vowel.
_VOWELS = set("aeiouyáéíóúàèìòùâêîôûäëïöüãõåæœ")


def label(charset):
    """A readable name for a Python codec name."""
    return CHARSET_LABELS.get(charset, charset)


def strip_bom(data):
    """Return ``(data without BOM, codec)``; codec is "" when there is none."""
    for bom, charset in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :], charset
    return data, ""


def guess_utf16(data):
    """Tell UTF-16 without a BOM from the NUL bytes of its ASCII characters.

    Contact files are mostly ASCII: in UTF-16 every other byte is then NUL,
    the even ones in big-endian, the odd ones in little-endian.
    """
    sample = data[:2000]
    if len(sample) < 4:
        return ""
    even_nuls = sample[0::2].count(0)
    odd_nuls = sample[1::2].count(0)
    half = len(sample) // 2
    if even_nuls > half * 0.4 and odd_nuls < half * 0.05:
        return "utf-16-be"
    if odd_nuls > half * 0.4 and even_nuls < half * 0.05:
        return "utf-16-le"
    return ""


def unicode_layout(data):
    """Detect a BOM or UTF-16; return ``(text or None, codec)``.

    When the file is in a Unicode form that must be decoded as a whole, the
    decoded text is returned. Otherwise ``(None, "")``: the caller decodes
    piece by piece (a vCard may declare a charset per property).
    """
    body, charset = strip_bom(data)
    if not charset:
        charset = guess_utf16(body)
        if not charset:
            return None, ""
    return body.decode(charset, errors="replace"), charset


def is_utf8(data):
    try:
        data.decode(UTF8)
    except UnicodeDecodeError:
        return False
    return True


def implausibility(text):
    """Count the signs that ``text`` was decoded with the wrong code page.

    Each sign is a symbol inside a word (``Zieli³ski``), a Latin and a
    Cyrillic letter in the same word, a word of three letters or more made
    mostly of accented letters, or an "ñ" before a consonant.
    """
    score = 0
    for word in text.split():
        letters = [char for char in word if char.isalpha()]
        scripts = [_script(char) for char in letters]
        non_ascii = [
            char
            for char, script in zip(letters, scripts, strict=True)
            if script == "latin" and ord(char) > 127
        ]
        if len(set(scripts) - {"other"}) > 1:
            score += 2
        if len(letters) >= 3 and len(non_ascii) * 2 > len(letters):
            score += 1
        for index, char in enumerate(word):
            if ord(char) < 128:
                continue
            category = unicodedata.category(char)
            inside = 0 < index < len(word) - 1
            if not category.startswith("L") and (inside or category == "Cc"):
                score += 2
            if char in "ñÑ" and index + 1 < len(word):
                following = word[index + 1].lower()
                if following.isalpha() and following not in _VOWELS:
                    score += 1
    return score


def guess_charset(chunks, candidates=FALLBACK_CHARSETS):
    """Pick the code page under which ``chunks`` (bytes) read most naturally."""
    best, best_score = candidates[0], None
    for charset in candidates:
        try:
            score = sum(implausibility(chunk.decode(charset)) for chunk in chunks)
        except UnicodeDecodeError:
            continue
        if best_score is None or score < best_score:
            best, best_score = charset, score
    return best


def decode_text(data):
    """Decode a whole file that declares no encoding; return ``(text, codec)``.

    A BOM or UTF-16 wins, then UTF-8, then the most plausible 8-bit code page
    (Shift_JIS included, for Japanese Outlook exports).
    """
    text, charset = unicode_layout(data)
    if text is not None:
        return text, charset
    if is_utf8(data):
        return data.decode(UTF8), UTF8
    charset = guess_charset([data], (*FALLBACK_CHARSETS, "cp932"))
    return data.decode(charset, errors="replace"), charset


def _script(char):
    name = unicodedata.name(char, "")
    if name.startswith("LATIN"):
        return "latin"
    if name.startswith("CYRILLIC"):
        return "cyrillic"
    if name.startswith("GREEK"):
        return "greek"
    if name.startswith(("CJK", "HIRAGANA", "KATAKANA", "HALFWIDTH KATAKANA")):
        return "cjk"
    return "other"
