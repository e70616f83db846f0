"""The Simplified Chinese catalogues: complete, not fuzzy, in step with the marked strings,
and the committed compiled catalogues (.mo) say exactly what their sources (.po) say."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
MESSAGES = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES"
DOMAINS = ("django", "djangojs")
#: What makemessages reads: the web layer, its pages and modules, the simulator's marked names.
SOURCES = ("playground", "templates", "static", "simulator", "manage.py")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdr]|%%|<[^>]+>|\{\w+(?:![a-z])?\}")


def catalogue(domain: str) -> polib.POFile:
    return polib.pofile(str(MESSAGES / f"{domain}.po"))


def translations(entries) -> dict[tuple[str | None, str], tuple[str, ...]]:
    """`(context, msgid) -> msgstr(s)` of translated entries, as both file kinds give them."""
    found = {}
    for entry in entries:
        if entry.obsolete or not entry.msgid:
            continue
        if entry.msgid_plural:
            strings = tuple(entry.msgstr_plural[k] for k in sorted(entry.msgstr_plural))
        else:
            strings = (entry.msgstr,)
        found[entry.msgctxt, entry.msgid] = strings
    return found


@pytest.mark.parametrize("domain", DOMAINS)
def test_every_string_is_translated_and_none_is_fuzzy(domain):
    po = catalogue(domain)
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []
    assert [e.msgid for e in po.obsolete_entries()] == []
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"


@pytest.mark.parametrize("domain", DOMAINS)
def test_translations_keep_every_placeholder_and_tag(domain):
    for (_, msgid), strings in translations(catalogue(domain)).items():
        wanted = sorted(PLACEHOLDER.findall(msgid))
        for text in strings:
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (msgid, text)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_compiled_catalogue_matches_its_source(domain):
    mo = polib.mofile(str(MESSAGES / f"{domain}.mo"))
    assert translations(mo) == translations(catalogue(domain))


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogue_has_exactly_the_strings_marked_in_the_code(domain, tmp_path):
    if shutil.which("xgettext") is None:
        pytest.fail("xgettext is missing: install Debian's gettext (./dev test does).")
    for name in SOURCES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / name)
    shutil.copytree(ROOT / "locale", tmp_path / "locale")
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "-d", domain,
         "--add-location=file", "-v0"],
        cwd=tmp_path, check=True,
    )  # fmt: skip
    fresh = polib.pofile(str(tmp_path / "locale/zh_Hans/LC_MESSAGES" / f"{domain}.po"))
    marked = {(e.msgctxt, e.msgid, e.msgid_plural) for e in fresh if not e.obsolete}
    committed = {(e.msgctxt, e.msgid, e.msgid_plural) for e in catalogue(domain)}
    assert marked - committed == set(), "marked but missing: run makemessages (docs/translation.md)"
    assert committed - marked == set(), "in the catalogue but no longer marked"


def test_the_simulators_sentences_are_the_ones_browsers_translate():
    """static/playground/words.js words each of simulator/words.py's sentences in the page's
    language: same keys, same English, same values named; and each is translated."""
    from simulator.words import SENTENCES

    source = (ROOT / "static" / "playground" / "words.js").read_text()
    marked = {
        key: re.sub(r"%\((\w+)\)s", r"{\1}", text.replace('\\"', '"'))
        for key, text in re.findall(r'^\s*"?([\w-]+)"?: gettext\("(.*)"\),$', source, re.M)
    }
    assert marked == SENTENCES
    translated = translations(catalogue("djangojs"))
    for text in marked.values():
        msgid = re.sub(r"\{(\w+)\}", r"%(\1)s", text)
        assert translated.get((None, msgid), ("",))[0], f"not translated: {msgid}"
