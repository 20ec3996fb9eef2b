"""A corpus of known cross-site scripting vectors, each pointing at a loopback "beacon".

Every vector is a template: :meth:`Vector.render` puts in a beacon URL that identifies the vector
(and the field it was placed in), so a request arriving at the beacon says which vector fired and
where. The payloads never call ``alert``: they load the beacon (``fetch``, an image, a script, a
stylesheet, a frame, a navigation), which a test server records.

Sources, named on each vector:

- ``owasp``: OWASP XSS Filter Evasion Cheat Sheet
  (cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html), itself based on
  RSnake's original list;
- ``html5sec``: the HTML5 Security Cheatsheet (html5sec.org, Mario Heiderich et al.);
- ``portswigger``: PortSwigger's Cross-site scripting cheat sheet
  (portswigger.net/web-security/cross-site-scripting/cheat-sheet);
- ``mxss``: published mutation-XSS and sanitiser bypasses (Heiderich et al., "mXSS attacks", CCS
  2013; Bentkowski's DOMPurify 2.0.0 and 2.0.17 bypasses; the noscript/xmp/noembed family);
- ``context``: breaking out of the contexts oerremix writes untrusted values into (attribute
  values, ``<title>``, JSON-LD inside ``<script>``, XML text, Markdown link syntax, YAML front
  matter), written for these tests.

``auto`` marks vectors that run with no user action when the raw markup is loaded in Chromium
(checked by ``test_xss_browser.py``'s control harness, which proves the detector sees them);
the others need a click or a hover, or only work in old browsers, and are caught by the static
checks on the DOM Chromium built (no event handler, no ``javascript:`` URL, no active element).
"""

from __future__ import annotations

import base64
import re
from dataclasses import dataclass

__all__ = ["BROKEN_IMAGE", "VECTORS", "Vector", "all_vectors"]

BROKEN_IMAGE = "nope.png"
"""A relative image name the hostile sources ship as a file that is not an image, so an
``onerror`` handler would fire wherever it survives (a built page, or the raw control page)."""


@dataclass(frozen=True)
class Vector:
    """One vector. ``template`` uses ``{url}`` for the beacon URL, ``{js}`` for a statement
    that requests it (``{js_bt}``: the same with backquotes; ``{js_b64}``: base64-encoded;
    ``{js_entities}``/``{js_hex_entities}``: as decimal/hex character references) and ``{img}``
    for :data:`BROKEN_IMAGE`."""

    id: str
    source: str
    template: str
    auto: bool = False

    def render(self, beacon: str) -> str:
        """The vector's markup, its payload pointing at ``beacon``."""
        js = f"fetch('{beacon}')"
        return self.template.format(
            url=beacon,
            js=js,
            js_bt=f"fetch(`{beacon}`)",
            js_b64=base64.b64encode(js.encode()).decode(),
            js_entities="".join(f"&#{ord(c)};" for c in js),
            js_hex_entities="".join(f"&#x{ord(c):x};" for c in js),
            img=BROKEN_IMAGE,
        )


def _v(id: str, source: str, template: str, *, auto: bool = False) -> Vector:
    return Vector(id, source, template, auto)


VECTORS: tuple[Vector, ...] = (
    # --- scripts ---------------------------------------------------------------------------------
    _v("script", "owasp", "<script>{js}</script>", auto=True),
    _v("script-src", "owasp", '<script src="{url}"></script>', auto=True),
    _v("script-slash-src", "owasp", '<SCRIPT/XSS SRC="{url}"></SCRIPT>', auto=True),
    _v("script-slash-only", "owasp", '<SCRIPT/SRC="{url}"></SCRIPT>', auto=True),
    _v("script-double-open", "owasp", "<<SCRIPT>{js}//<</SCRIPT>", auto=True),
    _v("script-unclosed", "owasp", '<SCRIPT SRC="{url}"?<B>', auto=True),
    _v("script-gt-in-attr", "owasp", '<SCRIPT a=">" SRC="{url}"></SCRIPT>', auto=True),
    _v("script-gt-noname", "owasp", '<SCRIPT =">" SRC="{url}"></SCRIPT>'),
    _v("script-gt-quoted", "owasp", '<SCRIPT "a=\'>\'" SRC="{url}"></SCRIPT>', auto=True),
    _v("img-quotes-script", "owasp", '<IMG """><SCRIPT>{js}</SCRIPT>">', auto=True),
    _v("title-breakout", "owasp", "</TITLE><SCRIPT>{js}</SCRIPT>", auto=True),
    _v("attr-dq-breakout", "context", '"><script>{js}</script>', auto=True),
    _v("attr-sq-breakout", "context", "'><script>{js}</script>", auto=True),
    _v("script-close-jsonld", "context", "</script><script>{js}</script>", auto=True),
    _v("script-close-upper", "context", "</SCRIPT ><script>{js}</script >", auto=True),
    _v("comment-break", "owasp", '<!--<img src="--><img src={img} onerror="{js}">', auto=True),
    _v("cdata-bogus-comment", "html5sec", '<![CDATA[><img src={img} onerror="{js}">]]>', auto=True),
    _v("entities-as-text", "context", "&lt;script&gt;{js}&lt;/script&gt;"),
    _v("svg-script", "html5sec", "<svg><script>{js}</script></svg>", auto=True),
    _v("svg-script-href", "html5sec", '<svg><script href="{url}"></script></svg>', auto=True),
    # --- event handlers --------------------------------------------------------------------------
    _v("img-onerror", "owasp", '<img src={img} onerror="{js}">', auto=True),
    _v("img-onerror-case", "owasp", '<IMG SRC="{img}" oNeRrOr="{js}">', auto=True),
    _v("img-slashes", "portswigger", '<img/src="{img}"/onerror="{js}">', auto=True),
    _v("img-no-space", "portswigger", '<img src="{img}"onerror="{js}">', auto=True),
    _v("img-js-prefix", "portswigger", '<img src={img} onerror="javascript:{js}">', auto=True),
    _v("img-entity-handler", "owasp", '<img src={img} onerror="{js_entities}">', auto=True),
    _v("img-hex-entity-handler", "owasp", '<img src={img} onerror="{js_hex_entities}">', auto=True),
    _v("img-atob", "portswigger", "<img src={img} onerror=\"eval(atob('{js_b64}'))\">", auto=True),
    _v("img-unclosed", "owasp", '<img src={img} onerror="{js}"'),
    _v("input-image", "owasp", '<INPUT TYPE="IMAGE" SRC="{img}" onerror="{js}">', auto=True),
    _v("svg-onload", "owasp", '<svg/onload="{js}">', auto=True),
    _v(
        "svg-onload-ns",
        "html5sec",
        '<svg xmlns="http://www.w3.org/2000/svg" onload="{js}"/>',
        auto=True,
    ),
    _v("body-onload", "owasp", '<body onload="{js}">', auto=True),
    _v("body-onload-junk", "owasp", '<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`="{js}">'),
    _v("body-onpageshow", "portswigger", '<body onpageshow="{js}">', auto=True),
    _v("input-autofocus", "portswigger", '<input onfocus="{js}" autofocus>', auto=True),
    _v("select-autofocus", "portswigger", '<select onfocus="{js}" autofocus></select>'),
    _v("textarea-autofocus", "portswigger", '<textarea onfocus="{js}" autofocus></textarea>'),
    _v(
        "details-ontoggle",
        "portswigger",
        '<details open ontoggle="{js}"><summary>x</summary></details>',
        auto=True,
    ),
    _v("video-source-onerror", "html5sec", '<video><source onerror="{js}"></video>', auto=True),
    _v(
        "audio-onerror",
        "portswigger",
        '<audio src="about:invalid" onerror="{js}"></audio>',
        auto=True,
    ),
    _v(
        "svg-animate-onbegin",
        "portswigger",
        '<svg><animate onbegin="{js}" attributeName="x" dur="1s"/></svg>',
        auto=True,
    ),
    _v(
        "style-animation",
        "portswigger",
        '<style>@keyframes pwn{{}}</style><div style="animation-name:pwn" onanimationstart="{js}">x</div>',
        auto=True,
    ),
    _v("a-onmouseover", "owasp", '<a onmouseover="{js}">xxs link</a>'),
    _v("img-onmouseover", "owasp", '<IMG SRC=# onmouseover="{js}">'),
    _v("p-onclick", "portswigger", '<p onclick="{js}">click me</p>'),
    _v("table-foster", "html5sec", '<table><img src={img} onerror="{js}"></table>', auto=True),
    # --- URLs with a script scheme ----------------------------------------------------------------
    _v("a-javascript", "owasp", '<a href="javascript:{js}">link</a>'),
    _v("a-javascript-case", "owasp", '<a href="JaVaScRiPt:{js}">link</a>'),
    _v(
        "a-javascript-entities",
        "owasp",
        '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;{js}">link</a>',
    ),
    _v("a-javascript-tab", "owasp", '<a href="jav&#x09;ascript:{js}">link</a>'),
    _v("a-javascript-colon-entity", "html5sec", '<a href="javascript&colon;{js}">link</a>'),
    _v("a-javascript-leading-space", "owasp", '<a href=" &#14;  javascript:{js}">link</a>'),
    _v("a-javascript-pct-colon", "context", '<a href="javascript%3A{js}">link</a>'),
    _v("a-javascript-pct-tab", "context", '<a href="jav%09ascript:{js}">link</a>'),
    _v("a-control-char", "context", '<a href="%0E%20javascript:{js}">link</a>'),
    _v("a-data-html", "owasp", '<a href="data:text/html;base64,{js_b64}">link</a>'),
    _v("img-javascript", "owasp", '<IMG SRC="javascript:{js}">'),
    _v("iframe-javascript", "owasp", '<iframe src="javascript:{js}"></iframe>', auto=True),
    _v(
        "iframe-data",
        "html5sec",
        '<iframe src="data:text/html,%3Cscript%3E{js}%3C/script%3E"></iframe>',
        auto=True,
    ),
    _v(
        "iframe-srcdoc",
        "html5sec",
        '<iframe srcdoc="&lt;script&gt;{js}&lt;/script&gt;"></iframe>',
        auto=True,
    ),
    _v("iframe-src", "owasp", '<iframe src="{url}"></iframe>', auto=True),
    _v("form-action", "portswigger", '<form action="javascript:{js}"><button>go</button></form>'),
    _v(
        "button-formaction",
        "portswigger",
        '<form><button formaction="javascript:{js}">go</button></form>',
    ),
    _v("math-href", "portswigger", '<math href="javascript:{js}"><mi>x</mi></math>'),
    _v(
        "svg-a-xlink",
        "html5sec",
        '<svg><a xlink:href="javascript:{js}"><text y="20">x</text></a></svg>',
    ),
    _v("object-data", "owasp", '<object data="{url}"></object>', auto=True),
    _v("embed-src", "owasp", '<embed src="{url}">', auto=True),
    _v("meta-refresh", "owasp", '<meta http-equiv="refresh" content="0;url={url}">', auto=True),
    _v(
        "meta-refresh-data",
        "owasp",
        '<meta http-equiv="refresh" content="0;url=data:text/html;base64,{js_b64}">',
    ),
    _v("base-href", "owasp", '<base href="{url}/"><img src="{img}">', auto=True),
    # --- styles that load or run something --------------------------------------------------------
    _v("style-import", "owasp", "<style>@import '{url}';</style>", auto=True),
    _v("style-bg-url", "owasp", "<style>body{{background:url('{url}')}}</style>", auto=True),
    _v(
        "style-attr-url", "owasp", "<div style=\"background-image:url('{url}')\">x</div>", auto=True
    ),
    _v("style-expression", "owasp", '<div style="width: expression({js})">x</div>'),
    _v("link-stylesheet", "owasp", '<link rel="stylesheet" href="{url}">', auto=True),
    _v("img-srcset", "portswigger", '<img srcset="{url} 1x" alt="x">', auto=True),
    _v(
        "svg-image",
        "html5sec",
        '<svg><image href="{url}" width="10" height="10"/></svg>',
        auto=True,
    ),
    # --- media and links that would make a reader's browser call a third party ------------------
    _v("img-remote", "context", '<img src="{url}" alt="remote">', auto=True),
    _v("video-poster-remote", "context", '<video poster="{url}" controls></video>', auto=True),
    _v("video-src-remote", "context", '<video src="{url}" controls></video>', auto=True),
    _v("audio-src-remote", "context", '<audio src="{url}" controls></audio>', auto=True),
    _v(
        "source-src-remote",
        "context",
        '<video controls><source src="{url}" type="video/mp4"></video>',
        auto=True,
    ),
    # --- mutation XSS: markup that changes meaning when serialised and parsed again -------------
    _v(
        "mxss-noscript",
        "mxss",
        '<noscript><p title="</noscript><img src={img} onerror={js_bt}>"></noscript>',
        auto=True,
    ),
    _v(
        "mxss-xmp",
        "mxss",
        '<xmp><p title="</xmp><img src={img} onerror={js_bt}>"></xmp>',
        auto=True,
    ),
    _v(
        "mxss-noembed",
        "mxss",
        '<noembed><p title="</noembed><img src={img} onerror={js_bt}>"></noembed>',
        auto=True,
    ),
    _v(
        "mxss-noframes",
        "mxss",
        '<noframes><p title="</noframes><img src={img} onerror={js_bt}>"></noframes>',
        auto=True,
    ),
    _v(
        "mxss-title",
        "mxss",
        '<title><p title="</title><img src={img} onerror={js_bt}>"></title>',
        auto=True,
    ),
    _v(
        "mxss-textarea",
        "mxss",
        '<textarea><p title="</textarea><img src={img} onerror={js_bt}>"></textarea>',
        auto=True,
    ),
    _v(
        "mxss-iframe-text",
        "mxss",
        '<iframe><p title="</iframe><img src={img} onerror={js_bt}>"></iframe>',
        auto=True,
    ),
    _v(
        "mxss-style",
        "mxss",
        '<style><p title="</style><img src={img} onerror={js_bt}>"></style>',
        auto=True,
    ),
    _v("mxss-iframe-raw", "mxss", '<iframe><img src={img} onerror="{js}"></iframe>'),
    _v(
        "mxss-math-mglyph",
        "mxss",
        '<math><mtext><table><mglyph><style><img src={img} onerror="{js}">',
    ),
    _v(
        "mxss-form-math",
        "mxss",
        '<form><math><mtext></form><form><mglyph><style></math><img src={img} onerror="{js}">',
    ),
    _v(
        "mxss-svg-style",
        "mxss",
        '<svg></p><style><a id="</style><img src={img} onerror={js_bt}>">',
        auto=True,
    ),
    _v(
        "mathml-annotation-html",
        "mxss",
        '<math><annotation-xml encoding="text/html"><img src={img} onerror="{js}"></annotation-xml></math>',
        auto=True,
    ),
    _v(
        "svg-foreignobject",
        "html5sec",
        '<svg><foreignObject><img src={img} onerror="{js}"></foreignObject></svg>',
        auto=True,
    ),
    # --- XML (XHTML in EPUB) and other contexts ---------------------------------------------------
    _v("xml-stylesheet-pi", "html5sec", '<?xml-stylesheet type="text/css" href="{url}"?>'),
    _v("markdown-link-js", "context", "[click](javascript:{js})"),
    _v("markdown-image-breakout", "context", '![x]({img}"onerror="{js})'),
    _v("yaml-breakout", "context", "x\n---\n<script>{js}</script>", auto=True),
    _v("json-breakout", "context", '"}}]</script><script>{js}</script>', auto=True),
)
"""The corpus: one vector per entry, in a fixed order (their number is their index)."""


_EMBEDS = re.compile(r"<(?:img|video|audio|source|input)\b", re.IGNORECASE)


def all_vectors(beacon: str, *, field: str = "content", embeds: bool = True) -> str:
    """Every vector rendered, one a line; each one's beacon URL names ``field`` and its id.

    ``embeds=False`` leaves out the vectors that embed an image or a media file, for the
    recipe's own Markdown: the build copies only the images of its sources into the package.
    """
    return "\n".join(
        v.render(f"{beacon}/{field}/{v.id}")
        for v in VECTORS
        if embeds or not _EMBEDS.search(v.template)
    )
