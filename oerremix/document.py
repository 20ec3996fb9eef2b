"""The content of a work: its sections in reading order, each loaded only when asked for.

Readers attach a :class:`Document` to the :class:`~oerremix.model.Work` they return
(``work.content``). Iterating it yields one :class:`SectionContent` at a time, so a 1,000-chapter
book is never held in memory as a whole: only the section being processed is parsed, or the
few asked for together with :meth:`Document.get_many` (readers may keep a source's raw or
compressed text to cut sections from).

>>> from oerremix.model import Section
>>> doc = Document(
...     [Section(id="1", title="Ohm's law"), Section(id="2", title="Power")],
...     lambda s: SectionContent(s, f"<p>{s.title}</p>", base="book/"),
... )
>>> [part.html for part in doc]
["<p>Ohm's law</p>", '<p>Power</p>']
>>> doc.get("2").section.title
'Power'
>>> [part.html for part in doc.get_many(["2", "1"])]
['<p>Power</p>', "<p>Ohm's law</p>"]
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from oerremix.model import Section

__all__ = ["Document", "SectionContent"]


@dataclass(frozen=True, slots=True)
class SectionContent:
    """One section's content."""

    section: Section
    """The section (id, title, level, licence)."""
    html: str
    """Its body as a sanitised HTML fragment; links and image paths as in the source."""
    base: str
    """The URL or path that relative links and image paths in ``html`` resolve against."""


class Document:
    """A work's sections in reading order; each section's content is loaded on demand.

    ``load`` loads one section; ``load_many``, if given, loads several at once (a reader may
    cut them in worker processes, see :meth:`get_many`).
    """

    __slots__ = ("_load", "_load_many", "_positions", "_sections")

    def __init__(
        self,
        sections: Sequence[Section],
        load: Callable[[Section], SectionContent],
        load_many: Callable[[Sequence[Section]], list[SectionContent]] | None = None,
    ) -> None:
        self._sections = tuple(sections)
        self._load = load
        self._load_many = load_many
        self._positions: dict[str, int] = {}
        for n, section in enumerate(self._sections):
            self._positions.setdefault(section.id, n)

    @property
    def sections(self) -> tuple[Section, ...]:
        """The sections, without their content."""
        return self._sections

    def __len__(self) -> int:
        return len(self._sections)

    def __iter__(self) -> Iterator[SectionContent]:
        for section in self._sections:
            yield self._load(section)

    def get(self, section_id: str) -> SectionContent:
        """The content of the section with this id; :class:`KeyError` if there is none."""
        return self._load(self._sections[self.position(section_id)])

    def get_many(self, section_ids: Sequence[str]) -> list[SectionContent]:
        """The contents of these sections, in this order (:class:`KeyError` if one is not
        there): what :meth:`get` gives each, loaded together where the reader can (a Markdown
        book cuts its chapters in worker processes when a build runs with ``jobs``)."""
        sections = [self._sections[self.position(section_id)] for section_id in section_ids]
        if self._load_many is None:
            return [self._load(section) for section in sections]
        return self._load_many(sections)

    def position(self, section_id: str) -> int:
        """Where the (first) section with this id is in :attr:`sections`; :class:`KeyError` if
        there is none.

        >>> Document([Section("a", "A"), Section("b", "B")], lambda s: None).position("b")
        1
        """
        return self._positions[section_id]

    def __repr__(self) -> str:
        return f"<Document of {len(self._sections)} sections>"
