"""How wide text prints, to size table columns and fit the running header without layout.

Advance widths (thousandths of an em) of DejaVu Sans, regular and bold, for printable ASCII.
DejaVu Sans is what LibreOffice falls back to when Calibri and its metric twin Carlito are
missing, and it is wider than both; sizing columns with it means a column that fits here
fits in Word and in any LibreOffice too.
"""

from __future__ import annotations

import functools
import unicodedata

_REGULAR = (
    318, 401, 460, 838, 636, 950, 780, 275, 390, 390, 500, 838, 318, 361, 318, 337, 636, 636,
    636, 636, 636, 636, 636, 636, 636, 636, 337, 337, 838, 838, 838, 531, 1000, 684, 686, 698,
    770, 632, 575, 775, 752, 295, 295, 656, 557, 863, 748, 787, 603, 787, 695, 635, 611, 732,
    684, 989, 685, 611, 685, 390, 337, 390, 838, 500, 500, 613, 635, 550, 635, 615, 352, 635,
    634, 278, 278, 579, 278, 974, 634, 612, 635, 635, 411, 521, 392, 634, 592, 818, 592, 592,
    525, 636, 337, 636, 838,
)
_BOLD = (
    348, 456, 521, 838, 696, 1002, 872, 306, 457, 457, 523, 838, 380, 415, 380, 365, 696, 696,
    696, 696, 696, 696, 696, 696, 696, 696, 400, 400, 838, 838, 838, 580, 1000, 774, 762, 734,
    830, 683, 683, 821, 837, 372, 372, 775, 637, 995, 837, 850, 733, 850, 770, 720, 682, 812,
    774, 1103, 771, 724, 725, 457, 365, 457, 838, 500, 500, 675, 716, 593, 716, 678, 435, 716,
    712, 343, 343, 665, 343, 1042, 712, 687, 716, 716, 493, 595, 478, 712, 652, 924, 645, 652,
    582, 712, 365, 712, 838,
)
MONO = "\ue000"  # marks a word set in the code font (private use: never in real text)
_MONO_WIDTH = 602  # Courier New and DejaVu Sans Mono
_OTHER = (640, 720)  # accented and other letters outside ASCII: about an "o"
_WIDE = 1000  # East Asian full-width characters


def char_width(char: str, bold: bool = False) -> int:
    """Advance width in thousandths of an em."""
    code = ord(char)
    if 32 <= code < 127:
        return (_BOLD if bold else _REGULAR)[code - 32]
    if unicodedata.east_asian_width(char) in ("W", "F"):
        return _WIDE
    return _OTHER[bold]


def text_width(text: str, size_pt: float, bold: bool = False) -> int:
    """Printed width of `text` at `size_pt`, in twips (1/20 pt); words marked MONO are
    measured in the code font."""
    table = _BOLD if bold else _REGULAR
    total = 0
    mono = False
    for char in text:
        if char == MONO:
            mono = True
            continue
        if char == " ":
            mono = False
        code = ord(char)
        if mono:
            total += _MONO_WIDTH
        else:
            total += table[code - 32] if 32 <= code < 127 else char_width(char, bold)
    return round(total * size_pt * 20 / 1000)


@functools.lru_cache(maxsize=1 << 16)
def word_width(word: str, size_pt: float, bold: bool = False) -> int:
    """text_width of one word, remembered: registers repeat the same words thousands of times."""
    return text_width(word, size_pt, bold)


def longest_word(text: str, size_pt: float, bold: bool = False) -> int:
    """Width of the widest word: a column narrower than this breaks the word."""
    return max((word_width(word, size_pt, bold) for word in text.split()), default=0)


def wrapped_lines(text: str, width: int, size_pt: float, bold: bool = False) -> int:
    """Lines that `text` takes in a column `width` twips wide, wrapping at spaces."""
    space = word_width(" ", size_pt, bold)
    lines, used = 1, 0
    for word in text.split():
        width_of_word = word_width(word, size_pt, bold)
        if used and used + space + width_of_word > width:
            lines, used = lines + 1, 0
        used += (space if used else 0) + width_of_word
        while used > width > 0:  # a word wider than the column breaks
            lines, used = lines + 1, used - width
    return lines
