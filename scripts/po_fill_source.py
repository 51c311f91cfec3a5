"""Fill the English catalogue from the source strings, so locale/en is complete like the others.

English is the source language: every msgstr is its msgid. Run by ``make messages`` after makemessages."""

import sys
from pathlib import Path

import polib  # type: ignore[import-untyped]  # polib ships no type information


def fill(path: Path) -> int:
    po = polib.pofile(str(path))
    filled = 0
    for entry in po:
        # A fuzzy entry holds msgmerge's guess from a similar string, never the source text: refill it too.
        fuzzy = "fuzzy" in entry.flags
        if entry.msgid_plural:
            if fuzzy or not all(entry.msgstr_plural.values()):
                entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
                filled += 1
        elif fuzzy or not entry.msgstr:
            entry.msgstr = entry.msgid
            filled += 1
        if fuzzy:
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgid_plural = None
    po.save()
    return filled


if __name__ == "__main__":
    for name in sys.argv[1:]:
        print(f"{name}: {fill(Path(name))} English messages filled from their source")
