"""The content of a work: its sections in reading order, each loaded only when asked for.

Readers attach a :class:`Document` to the :class:`~oerremix.model.Work` they return
(``work.content``). Iterating it yields one :class:`SectionContent` at a time, so a 1,000-chapter
book is never held in memory as a whole: only the section being processed is parsed (readers
may keep a source's raw or compressed text to cut sections from).

>>> from oerremix.model import Section
>>> doc = Document(
...     [Section(id="1", title="Ohm's law"), Section(id="2", title="Power")],
...     lambda s: SectionContent(s, f"<p>{s.title}</p>", base="book/"),
... )
>>> [part.html for part in doc]
["<p>Ohm's law</p>", '<p>Power</p>']
>>> doc.get("2").section.title
'Power'
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
    """A work's sections in reading order; each section's content is loaded on demand."""

    __slots__ = ("_by_id", "_load", "_sections")

    def __init__(
        self, sections: Sequence[Section], load: Callable[[Section], SectionContent]
    ) -> None:
        self._sections = tuple(sections)
        self._load = load
        self._by_id: dict[str, Section] = {}
        for section in self._sections:
            self._by_id.setdefault(section.id, section)

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
        section = self._by_id.get(section_id)
        if section is None:
            raise KeyError(section_id)
        return self._load(section)

    def __repr__(self) -> str:
        return f"<Document of {len(self._sections)} sections>"
