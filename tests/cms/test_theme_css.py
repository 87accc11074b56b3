"""Custom CSS of store themes: what is refused (with the line), what passes unchanged, preview scoping."""
from __future__ import annotations

import pytest

from blueprints.cms.services.css import MAX_CUSTOM_CSS_BYTES, CssError, scope_css, validate_custom_css

REFUSED = {
    "script url": ("a { background: url(javascript:alert(1)) }", "javascript:"),
    "script url quoted, escaped": ("a { background: url('ja\\76 ascript:alert(1)') }", "javascript:"),
    "script url with a tab": ("a { background: url('java\tscript:alert(1)') }", "javascript:"),
    "vbscript": ("a { background: url(vbscript:msgbox) }", "vbscript:"),
    "data url": ("a { background: url(data:image/png;base64,iVBORw0KGgo=) }", "data:"),
    "data url in image-set": ("a { background: image-set('data:image/png;base64,AA' 1x) }", "data:"),
    "http url": ("a { background: url(http://tracker.example/a.png) }", "http:"),
    "protocol-relative url": ("a { background: url(//tracker.example/a.png) }", "https://"),
    "expression": ("a { width: expression(alert(1)) }", "expression()"),
    "escaped expression": ("a { width: e\\78pression(alert(1)) }", "expression()"),
    "expression with a comment": ("a { width: expression/**/(alert(1)) }", "expression()"),
    "import url": ("@import url(https://evil.example/a.css);", "@import"),
    "import string": ("@import 'theme.css';", "@import"),
    "font-face": ("@font-face { font-family: x; src: url(https://fonts.example/x.woff2) }", "@font-face"),
    "charset": ('@charset "utf-8";', "@charset"),
    "behavior": ("a { behavior: url(x.htc) }", "behavior"),
    "ms behavior": ("a { -ms-behavior: url(x.htc) }", "behavior"),
    "moz binding": ("a { -moz-binding: url(x.xml#b) }", "-moz-binding"),
    "end of style": ("a { color: red } </style><script>alert(1)</script>", "</"),
    "end of style in a string": ("a::after { content: '</style>' }", "</"),
    "html comment": ("<!-- a { color: red } -->", "<!--"),
    "unclosed brace": ("a { color: red", "unbalanced braces"),
    "extra closing brace": ("a { color: red } }", "unbalanced braces"),
    "unclosed bracket": ("a[href { color: red }", "unbalanced brackets"),
    "unclosed comment": ("a { color: red } /* and more", "comment"),
    "unclosed string": ("a::after { content: 'x }", "string"),
    "declaration outside a rule": ("color: red;", "{ … }"),
    "selector without block": ("a { color: red }\nb", "Line 2"),
    "nul": ("a { color: red }\x00", "NUL"),
}


@pytest.mark.parametrize("css, expected", list(REFUSED.values()), ids=list(REFUSED))
def test_dangerous_or_broken_css_is_refused_with_a_clear_message(css, expected):
    with pytest.raises(CssError) as refused:
        validate_custom_css(css)
    assert expected in str(refused.value)


def test_the_message_names_the_line():
    with pytest.raises(CssError, match=r"^Line 3: "):
        validate_custom_css(".a { color: red }\n.b { color: blue }\n.c { background: url(javascript:x) }")


def test_css_over_the_size_limit_is_refused_and_says_how_big():
    rule = ".sf-hero { color: #123456 }\n"
    css = rule * (MAX_CUSTOM_CSS_BYTES // len(rule) + 1)
    with pytest.raises(CssError, match="20,000 bytes"):
        validate_custom_css(css)
    validate_custom_css(css[:MAX_CUSTOM_CSS_BYTES].rsplit("\n", 1)[0])  # just under the limit passes


ACCEPTED = [
    ".sf-hero { background: url(/s/centre/media/a.png) center / cover; }",
    ".sf-hero { background-image: url('https://images.example.com/a.png') }",
    "@media (max-width: 600px) { .sf-brand { font-size: 1rem } }",
    "@supports (display: grid) { .grid { display: grid } }",
    "@keyframes pulse { from { opacity: 1 } 50% { opacity: .5 } }\n.btn-accent { animation: pulse 2s infinite }",
    ":root { --sf-radius: 0 } .a:is(.b, .c) > .d::after { content: \"→\" } /* a comment */",
    ".card { & .card-title { letter-spacing: .02em } }",
]


@pytest.mark.parametrize("css", ACCEPTED)
def test_ordinary_css_passes_and_is_kept_as_written(css):
    assert validate_custom_css(css) == css


def test_empty_css_is_fine_and_newlines_are_normalised():
    assert validate_custom_css(None) == ""
    assert validate_custom_css("  \r\n ") == ""
    assert validate_custom_css("a { color: red }\r\nb { color: blue }\r\n") == "a { color: red }\nb { color: blue }"


def test_scoping_keeps_the_preview_inside_its_container():
    css = (":root { --sf-primary: #000 } body.storefront { color: red } .storefront h1, .sf-brand { x: y }\n"
           "@media (max-width: 1px) { .sf-header { z: 1 } }\n@keyframes k { from { opacity: 0 } }")
    scoped = scope_css(css, ".theme-preview")
    assert ".theme-preview { --sf-primary: #000 }" in scoped
    assert ".theme-preview { color: red }" in scoped
    assert ".theme-preview h1, .theme-preview .sf-brand { x: y }" in scoped
    assert "@media (max-width: 1px) {\n.theme-preview .sf-header { z: 1 }\n}" in scoped
    assert "@keyframes k { from { opacity: 0 } }" in scoped
