"""The cue lexicon behind call classification: loading, normalising and matching.

The words live in ``data/lexicon/*.toml`` (one file per language, plus any file a center adds);
this module turns them into compiled matchers once, on first use, and caches them. It imports
nothing heavier than the standard library, so ``import desk.rules.calls`` stays in milliseconds.

Entry syntax (each category is a list of strings under ``[cues]``):

* Chinese (any entry containing a CJK character) matches as a substring: ``"电脑"``.
* Latin words and phrases match whole words: ``"java"``, ``"how much"``. Entries are normalised
  like the text (so ``"I'm"`` is the same as ``"i m"``); ``"complain*"`` matches every word
  starting with ``complain``.
* ``"re:<regex>"`` is a Python regular expression applied to the normalised text.
* ``"cs:<regex>"`` is a case-sensitive regular expression applied to the NFKC text before
  casefolding (for ``IT`` the subject, which casefolds into the pronoun ``it``).

Categories (their place in docs/domain.md §2.3's order of precedence is in :mod:`desk.rules.calls`):
``greetings`` (a call of nothing else is silent), ``complaint`` (always a complaint),
``grievance`` (a complaint unless said ``hypothetical``-ly: 如果/if), ``refund`` (a grievance
unless ``hypothetical`` or a ``refund_question``: 能退吗, refund policy), ``leadership`` (principal / leadership asked for with no
name = complaint), ``other_courier``, ``other_job``, ``other_wrong``, ``job_titles`` (asked for
with no name = screened), ``request_before`` / ``possessive`` / ``request_after`` (the frame that
makes a title or a name a request: 找/转/你们的/在吗; put me through to/your/there),
``company_intro``, ``offer_frame``, ``sales`` (a sales pitch), ``organisation`` (a company,
recruiting: a named employment officer is then a business call), ``student``, ``earlier_contact``,
``place``, ``coming_to_consult``, ``relatives``, ``referral_after`` (a relative who only referred
the caller), ``courses``, ``it_subjects``, ``titles_any`` / ``titles_business`` (title words),
``surnames`` / ``compound_surnames`` (names not on the roster), ``common_words`` (never a name,
never typo-corrected), ``course_after_title`` (a title followed by these is a subject, not a
person: 财务培训, HR course), ``self_intro`` (我叫/this is: a name right after is the caller's).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

__all__ = [
    "CATEGORIES",
    "Lexicon",
    "Matcher",
    "default_lexicon",
    "has_cjk",
    "load_lexicon",
    "normalize",
]

CATEGORIES = (
    "greetings",
    "complaint",
    "grievance",
    "refund",
    "refund_question",
    "hypothetical",
    "leadership",
    "other_courier",
    "other_job",
    "other_wrong",
    "job_titles",
    "request_before",
    "possessive",
    "request_after",
    "company_intro",
    "offer_frame",
    "sales",
    "organisation",
    "student",
    "earlier_contact",
    "place",
    "coming_to_consult",
    "relatives",
    "referral_after",
    "courses",
    "it_subjects",
    "titles_any",
    "titles_business",
    "surnames",
    "compound_surnames",
    "common_words",
    "course_after_title",
    "self_intro",
)

_PUNCT = re.compile(r"[^\w\s+#]")
_SPACES = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef]")
_LATIN_WORD = re.compile(r"[a-z][a-z0-9]*")


def normalize(text: str) -> str:
    """NFKC (full-width -> half-width), casefold, punctuation -> space, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("_", " ")
    return _SPACES.sub(" ", _PUNCT.sub(" ", text)).strip()


def has_cjk(text: str) -> bool:
    return _CJK.search(text) is not None


def _entry_regex(entry: str) -> tuple[str, bool] | None:
    """(regex source, case_sensitive) for one lexicon entry, or None if it normalises to nothing."""
    if entry.startswith("re:"):
        return entry[3:], False
    if entry.startswith("cs:"):
        return entry[3:], True
    star = entry.endswith("*")
    text = normalize(entry[:-1] if star else entry)
    if not text:
        return None
    if has_cjk(text):
        return re.escape(text).replace(r"\ ", r"\s?"), False
    body = re.escape(text).replace(r"\ ", r"\s+")
    tail = r"[a-z0-9]*" if star else ""
    return rf"(?<![a-z0-9]){body}{tail}(?![a-z0-9])", False


def _alternation(sources: list[str]) -> str:
    return "(?:" + "|".join(sources) + ")" if sources else r"(?!x)x"


@dataclass(frozen=True)
class Matcher:
    """A compiled cue category: ``search`` returns the matched words, or None."""

    name: str
    pattern: re.Pattern[str]
    case_pattern: re.Pattern[str] | None = None
    source: str = ""

    def search(self, norm: str, raw: str = "") -> str | None:
        m = self.pattern.search(norm)
        if m:
            return m.group(0).strip()
        if self.case_pattern is not None and raw:
            m = self.case_pattern.search(raw)
            if m:
                return m.group(0).strip()
        return None

    def finditer(self, norm: str) -> Iterable[re.Match[str]]:
        return self.pattern.finditer(norm)


def _compile(name: str, entries: Iterable[str]) -> Matcher:
    plain: list[tuple[int, str]] = []
    cased: list[str] = []
    for entry in entries:
        got = _entry_regex(entry)
        if got is None:
            continue
        source, case_sensitive = got
        if case_sensitive:
            cased.append(source)
        else:
            plain.append((len(entry), source))
    # Longest first, so the cue reported is the most specific one.
    ordered = [src for _, src in sorted(plain, key=lambda p: -p[0])]
    source = _alternation(ordered)
    return Matcher(
        name=name,
        pattern=re.compile(source),
        case_pattern=re.compile(_alternation(cased)) if cased else None,
        source=source,
    )


@dataclass
class Lexicon:
    """The merged word lists of every lexicon file, with compiled matchers built on demand."""

    words: dict[str, tuple[str, ...]]
    _matchers: dict[str, Matcher] = field(default_factory=dict, repr=False)
    _frames: dict[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict, repr=False)
    _typo_index: dict[str, frozenset[str]] | None = field(default=None, repr=False)
    _vocab: frozenset[str] = field(default=frozenset(), repr=False)
    _common: frozenset[str] | None = field(default=None, repr=False)

    def __getitem__(self, category: str) -> Matcher:
        m = self._matchers.get(category)
        if m is None:
            m = self._matchers[category] = _compile(category, self.words.get(category, ()))
        return m

    def list(self, category: str) -> tuple[str, ...]:
        return self.words.get(category, ())

    @property
    def common_words(self) -> frozenset[str]:
        if self._common is None:
            self._common = frozenset(normalize(w) for w in self.list("common_words"))
        return self._common

    # -- request frames ---------------------------------------------------------------------
    def frames(self, category: str) -> tuple[re.Pattern[str], ...]:
        """Patterns that find ``category`` words asked for: 找你们X / 你们的X / X在吗 / your X.

        Group 1 is the title itself.
        """
        got = self._frames.get(category)
        if got is None:
            title = self[category].source
            before = self["request_before"].source
            poss = self["possessive"].source
            after = self["request_after"].source
            got = (
                re.compile(rf"{before}\s?(?:{poss}\s?)?({title})"),
                re.compile(rf"{poss}\s?({title})"),
                re.compile(rf"({title})\s?{after}"),
            )
            self._frames[category] = got
        return got

    # -- typo tolerance (Latin words only) ----------------------------------------------------
    def _build_typo_index(self) -> None:
        common = self.common_words
        vocab: set[str] = set()
        for category, entries in self.words.items():
            if category in ("common_words", "surnames", "compound_surnames"):
                continue
            for entry in entries:
                if entry.startswith(("re:", "cs:")):
                    continue
                for word in _LATIN_WORD.findall(normalize(entry.rstrip("*"))):
                    if len(word) >= 5 and word not in common:
                        vocab.add(word)
        index: dict[str, set[str]] = {}
        for word in vocab:
            index.setdefault(word, set()).add(word)
            for i in range(len(word)):
                index.setdefault(word[:i] + word[i + 1 :], set()).add(word)
        self._vocab = frozenset(vocab)
        self._typo_index = {k: frozenset(v) for k, v in index.items()}

    def correct_typos(self, norm: str, protect: frozenset[str] = frozenset()) -> tuple[str, tuple[str, ...]]:
        """Replace Latin words one edit away from exactly one cue word (``compalint`` ->
        ``complaint``). Returns the corrected text and ``typo:a->b`` notes."""
        if self._typo_index is None:
            self._build_typo_index()
        index = self._typo_index
        assert index is not None
        vocab, common = self._vocab, self.common_words
        notes: list[str] = []

        def fix(m: re.Match[str]) -> str:
            word = m.group(0)
            if len(word) < 5 or word in vocab or word in common or word in protect or not word.isalpha():
                return word
            found: set[str] = set(index.get(word, ()))
            for i in range(len(word)):
                found.update(index.get(word[:i] + word[i + 1 :], ()))
            found = {w for w in found if w[0] == word[0] and abs(len(w) - len(word)) <= 1}
            if len(found) == 1:
                (right,) = found
                notes.append(f"typo:{word}->{right}")
                return right
            return word

        fixed = _LATIN_WORD.sub(fix, norm)
        return fixed, tuple(notes)


def _merge(target: dict[str, list[str]], data: dict[str, object], source: str) -> None:
    cues = data.get("cues", {})
    if not isinstance(cues, dict):
        raise ValueError(f"{source}: [cues] must be a table of lists")
    for category, entries in cues.items():
        if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
            raise ValueError(f"{source}: cues.{category} must be a list of strings")
        for entry in entries:
            if entry.startswith(("re:", "cs:")):
                re.compile(entry[3:])  # fail loudly on a bad pattern, naming no hidden state
        bucket = target.setdefault(category, [])
        bucket.extend(e for e in entries if e not in bucket)


def load_lexicon(*folders: Path | str, files: Iterable[Path | str] = ()) -> Lexicon:
    """Load and merge every ``*.toml`` in ``folders`` (sorted by name) and then ``files``."""
    import tomllib

    merged: dict[str, list[str]] = {}
    paths: list[Path] = []
    for folder in folders:
        paths.extend(sorted(Path(folder).glob("*.toml")))
    paths.extend(Path(f) for f in files)
    for path in paths:
        with open(path, "rb") as fh:
            _merge(merged, tomllib.load(fh), str(path))
    return Lexicon(words={k: tuple(v) for k, v in merged.items()})


@cache
def default_lexicon() -> Lexicon:
    """The shipped lexicon (``data/lexicon``), loaded once on first use."""
    from desk.paths import data_dir

    return load_lexicon(data_dir() / "lexicon")
