"""A page's images, videos, audio and embeds, each with the credit and licence of its caption.

:func:`page_assets` (and :func:`assets`, for the main content of a page) pairs each item with
its ``<figcaption>``, WordPress caption or credit line and a Pressbooks "Media Attributions"
entry; an item with no statement of its own takes the page's licence only when the page says
"except where otherwise noted" and the item is part of the site. :func:`credit_elements` are
the captions and credit lists, which say nothing about the page's own licence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml.html import HtmlElement

from oerremix.detect import detect_tree
from oerremix.model import Asset, AssetKind, Author
from oerremix.readers._licensing import CREDIT_CUES
from oerremix.readers._sections import classes, squash, with_class
from oerremix.readers._urls import urljoin, urlsplit

__all__ = ["assets", "credit_elements", "in_caption", "media_addresses", "page_assets"]

_BADGE = re.compile(
    r"licensebuttons\.net|i\.creativecommons\.org|mirrors\.creativecommons\.org|/cc-[a-z-]+\.svg",
    re.IGNORECASE,
)
_CREDIT_CLASS = re.compile(r"credit|attribution|caption|source|copyright", re.IGNORECASE)
_VIDEO_HOSTS = re.compile(
    r"(?:^|\.)(?:youtube(?:-nocookie)?\.com|youtu\.be|vimeo\.com|wistia\.net)$"
)


def in_caption(el: HtmlElement) -> bool:
    """Inside a figure's caption (``<figcaption>``, WordPress's ``wp-caption-text``)."""
    node: HtmlElement | None = el
    while node is not None:
        if node.tag == "figcaption" or "wp-caption-text" in classes(node):
            return True
        node = node.getparent()
    return False


def _caption_of(media: HtmlElement) -> HtmlElement | None:
    """The caption or credit element that belongs to an image, video, audio or embed."""
    node = media.getparent()
    while node is not None and node.tag not in ("body", "main", "article", "section"):
        if node.tag == "figure":
            captions = node.xpath("./figcaption|.//figcaption")
            return captions[0] if captions else None
        if "wp-caption" in classes(node):
            captions = node.xpath(with_class("wp-caption-text", ".//*/"))
            return captions[0] if captions else None
        node = node.getparent()
    # a credit line right after the media (or after the paragraph/link that only wraps it)
    anchor = media
    parent = anchor.getparent()
    while parent is not None and parent.tag in ("a", "p", "span", "div") and len(parent) == 1:
        if squash(parent.text) or squash(anchor.tail):
            break
        anchor, parent = parent, parent.getparent()
    following = anchor.getnext()
    if following is not None and _CREDIT_CLASS.search(following.get("class") or ""):
        return following
    return None


def credit_elements(root: HtmlElement) -> list[HtmlElement]:
    """Everything that credits items inside the page: captions, credit lines, attribution lists."""
    found: list[HtmlElement] = []
    for el in root.iter("figcaption"):
        found.append(el)
    found.extend(root.xpath(with_class("wp-caption-text")))
    found.extend(root.xpath(with_class("media-attributions")))
    for media in root.iter("img", "video", "audio", "iframe"):
        caption = _caption_of(media)
        if caption is not None:
            found.append(caption)
    return list(dict.fromkeys(found))


def _credit_of(caption: HtmlElement | None) -> tuple[str | None, str | None]:
    """``(credit text, licence id)`` of a caption: a credit only if it reads like one."""
    if caption is None:
        return None, None
    specific = [
        el
        for el in caption.iter()
        if el is not caption
        and _CREDIT_CLASS.search(el.get("class") or "")
        and squash(el.text_content())
    ]
    text = squash((specific[0] if specific else caption).text_content())
    found = detect_tree(caption)
    if not text or (found.status == "none" and not CREDIT_CUES.search(text)):
        return None, None
    return text, found.license_id


def _same_site(src: str, page: str | None) -> bool:
    parts = urlsplit(src)
    if src.startswith("data:") or (not parts.scheme and not parts.netloc):
        return True
    if page is None:
        return False
    return (parts.hostname or "") == (urlsplit(page).hostname or "") != ""


@dataclass(frozen=True, slots=True, eq=False)
class _MediaCredit:
    """One entry of a Pressbooks "Media Attributions" list."""

    title: str | None
    authors: tuple[Author, ...]
    credit: str | None
    license: str | None
    about: str | None


def _media_attributions(root: HtmlElement) -> list[_MediaCredit]:
    entries: list[_MediaCredit] = []
    for block in root.xpath(with_class("media-attributions")):
        for item in block.iter("li"):
            title_el = item.xpath(".//*[contains(concat(' ', @property, ' '), ' dc:title ')]")
            author_els = item.xpath(
                ".//*[contains(concat(' ', @property, ' '), ' cc:attributionName ')]"
            )
            text = squash(item.text_content())
            title = squash(title_el[0].text_content()) if title_el else None
            authors = tuple(
                Author(squash(a.text_content()), a.get("href"))
                for a in author_els
                if squash(a.text_content())
            )
            found = detect_tree(item)
            is_credit = found.status != "none" or bool(authors) or CREDIT_CUES.search(text)
            if title is None and not is_credit:
                title = text or None
            entries.append(
                _MediaCredit(
                    title=title,
                    authors=authors,
                    credit=text if is_credit and text else None,
                    license=found.license_id,
                    about=item.get("about"),
                )
            )
    return entries


def _media_source(el: HtmlElement) -> str | None:
    src = el.get("src") or el.get("data-src")
    if not src and el.tag in ("video", "audio"):
        sources = [s.get("src") for s in el.iter("source") if s.get("src")]
        src = sources[0] if sources else None
    src = (src or "").strip()
    if not src:
        return None
    return src if len(src) <= 2000 else src[:64] + "…"


def _media_kind(el: HtmlElement, source: str) -> AssetKind:
    if el.tag == "img":
        return "image"
    if el.tag in ("video", "audio"):
        return "video" if el.tag == "video" else "audio"
    host = urlsplit(source).hostname or ""
    return "video" if _VIDEO_HOSTS.search(host) else "embed"


def assets(
    root: HtmlElement,
    content: HtmlElement,
    *,
    base: str | None,
    page_url: str | None,
    license: str | None,
    noted: bool,
) -> tuple[Asset, ...]:
    """The page's images, videos, audio and embeds, each with its own credit and licence.

    Items are looked for in ``content`` (the page's main content), a Pressbooks "Media
    Attributions" list in the whole page ``root``; ``base``, ``page_url``, ``license`` and
    ``noted`` are as for :func:`page_assets`.
    """
    media = []
    for el in content.iter("img", "video", "audio", "iframe"):
        source = _media_source(el)
        if source is None or _in_apparatus_licence(el) or _BADGE.search(source):
            continue
        if el.get("width") == "1" and el.get("height") == "1":
            continue  # a tracking pixel
        media.append((el, source))
    credits = _media_attributions(root)
    paired: dict[int, _MediaCredit] = {}
    library = [
        i
        for i, (el, _s) in enumerate(media)
        if el.tag == "img" and re.search(r"\bwp-image-\d+", el.get("class") or "")
    ]
    candidates = library or [i for i, (el, _s) in enumerate(media) if el.tag == "img"]
    if credits and len(credits) == len(candidates):
        paired = dict(zip(candidates, credits, strict=True))
    elif credits:
        for listed in credits:
            for i in candidates:
                el, source = media[i]
                stem = re.sub(r"\.\w+$", "", source.rsplit("/", 1)[-1]).lower()
                names = {(el.get("alt") or "").lower(), (el.get("title") or "").lower(), stem}
                if i not in paired and listed.title and listed.title.lower() in names:
                    paired[i] = listed
                    break
    assets: dict[str, Asset] = {}
    for i, (el, raw) in enumerate(media):
        source = urljoin(base, raw) if base and not raw.startswith("data:") else raw
        kind = _media_kind(el, source)
        credit, license_id = _credit_of(_caption_of(el))
        entry = paired.get(i)
        title = squash(el.get("title")) or squash(el.get("aria-label")) or None
        if el.tag == "img":
            title = title or squash(el.get("alt")) or None
        authors: tuple[Author, ...] = ()
        if entry is not None:
            title = entry.title or title
            authors = entry.authors
            if entry.credit:
                credit = entry.credit if credit is None else f"{credit} / {entry.credit}"
            if entry.license and license_id and entry.license != license_id:
                license_id = None  # two different licences stated for one image: unknown
            else:
                license_id = license_id or entry.license
        inherited = False
        if (
            license_id is None
            and credit is None
            and noted
            and license is not None
            and _same_site(raw, page_url)
        ):
            license_id, inherited = license, True
        assets.setdefault(
            source,
            Asset(
                kind=kind,
                source=source,
                title=title,
                authors=authors,
                license=license_id,
                credit=credit,
                license_inherited=inherited,
            ),
        )
    # attribution entries that could not be matched to an image are still credits on the page
    for n, unpaired in enumerate(credits):
        if any(unpaired is e for e in paired.values()) or not (unpaired.credit or unpaired.license):
            continue
        source = unpaired.about or f"{page_url or 'page'}#media-attribution-{n + 1}"
        assets.setdefault(
            source,
            Asset(
                kind="image",
                source=source,
                title=unpaired.title,
                authors=unpaired.authors,
                license=unpaired.license,
                credit=unpaired.credit,
            ),
        )
    return tuple(assets.values())


def _in_apparatus_licence(el: HtmlElement) -> bool:
    node: HtmlElement | None = el
    while node is not None:
        if "license-attribution" in classes(node):
            return True
        if node.tag == "a" and "license" in (node.get("rel") or "").lower().split():
            return True
        node = node.getparent()
    return False


def page_assets(
    root: HtmlElement,
    *,
    base: str | None = None,
    page_url: str | None = None,
    license: str | None = None,
    noted: bool = False,
) -> tuple[Asset, ...]:
    """The images, videos, audio and embeds of ``root`` with their own credits and licences.

    Relative sources are resolved against ``base``; ``license`` is given to items with no
    statement of their own only when ``noted`` ("except where otherwise noted") and the item is
    part of the site (relative, or on ``page_url``'s host).
    """
    return assets(root, root, base=base, page_url=page_url, license=license, noted=noted)


def media_addresses(root: HtmlElement) -> list[str] | None:
    """The addresses, as written, of every item :func:`page_assets` could list for ``root``
    (it resolves each against ``base``), or None when ``root`` has a "Media Attributions"
    list, whose entries are items of their own."""
    if root.xpath(with_class("media-attributions")):
        return None
    found = (_media_source(el) for el in root.iter("img", "video", "audio", "iframe"))
    return [address for address in found if address is not None]
