"""Custom CSS of store themes: refused unless every part is known to be harmless, and scoped for previews.

The merchant's CSS is parsed with tinycss2 and checked token by token (escapes decoded), so
``e\\78pression(`` or ``url("java\\73 cript:…")`` are caught like their plain spellings. What passes
is stored as written (comments and layout kept); it is only ever served as a stylesheet.

Refused, with the line it is on:
- more than MAX_CUSTOM_CSS_BYTES; NUL; ``</`` and HTML comment markers (``<!--``, ``-->``);
- unbalanced ``{}``, ``()`` or ``[]``, unclosed comments or strings (CSS would silently close them
  at the end, swallowing the rules our stylesheet appends or that the merchant adds later);
- at-rules other than @media, @supports and @keyframes: @import and @font-face would load remote
  files (fonts come from the safe list: no third-party requests from shoppers' browsers, GDPR),
  @charset/@namespace/@layer/@page and the like have no use in a theme;
- url(), src() and image-set() pointing anywhere but to https:// or a path: javascript:, data:,
  http:, protocol-relative ``//host`` … (images belong in the media library);
- expression(), ``javascript:``/``vbscript:`` anywhere, and the behavior / -moz-binding properties.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import tinycss2
from tinycss2 import ast

MAX_CUSTOM_CSS_BYTES = 20_000
ALLOWED_AT_RULES = ("media", "supports", "keyframes")
URL_FUNCTIONS = ("url", "src", "image", "image-set", "-webkit-image-set")
FORBIDDEN_FUNCTIONS = ("expression",)
FORBIDDEN_PROPERTIES = ("behavior", "-ms-behavior", "-moz-binding", "binding")
SCRIPT_SCHEMES = ("javascript:", "vbscript:")
# Markers that would end or confuse an HTML context if the CSS were ever inlined.
HTML_MARKERS = ("</", "<!--", "-->")
SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):", re.IGNORECASE)
URL_NOISE = re.compile(r"[\x00-\x20\x7f]")  # browsers drop tabs and newlines inside URLs
COMMENTS = re.compile(r"/\*.*?\*/", re.DOTALL)
CLOSERS = {"{": "}", "(": ")", "[": "]"}
BRACKET_NAMES = {"{": "braces", "}": "braces", "(": "parentheses", ")": "parentheses", "[": "brackets", "]": "brackets"}


class CssError(ValueError):
    """Custom CSS that is refused; the message says what and where, for the merchant."""

    def __init__(self, message: str, line: int | None = None):
        super().__init__(f"Line {line}: {message}" if line else message)
        self.line = line


def validate_custom_css(css: str | None) -> str:
    """The merchant's CSS, trimmed and with plain newlines, or CssError. Empty is fine."""
    css = (css or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not css:
        return ""
    size = len(css.encode("utf-8"))
    if size > MAX_CUSTOM_CSS_BYTES:
        raise CssError(f"Custom CSS may be at most {MAX_CUSTOM_CSS_BYTES:,} bytes ({MAX_CUSTOM_CSS_BYTES // 1000} KB); "
                       f"this is {size:,} bytes. Remove what you do not need.")
    if "\x00" in css:
        raise CssError("The CSS contains a NUL character.")
    for marker in HTML_MARKERS:
        position = css.find(marker)
        if position >= 0:
            raise CssError(f"“{marker}” has no place in CSS; remove it.", _line_at(css, position))
    _check_balance(css)
    _check_raw_text(css)
    for node in tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True):
        _check_rule(node, top_level=True)
    return css


# -- checks ------------------------------------------------------------------------------------
def _line_at(css: str, position: int) -> int:
    return css.count("\n", 0, position) + 1


def _check_balance(css: str) -> None:
    """Brackets, comments and strings must be closed where CSS authors expect."""
    stack: list[tuple[str, int]] = []
    position, length = 0, len(css)
    while position < length:
        char = css[position]
        if char == "\\":
            position += 2
            continue
        if css.startswith("/*", position):
            end = css.find("*/", position + 2)
            if end < 0:
                raise CssError("This comment is never closed with */.", _line_at(css, position))
            position = end + 2
            continue
        if char in "\"'":
            end = position + 1
            while end < length and css[end] != char:
                if css[end] == "\n":
                    break
                end += 2 if css[end] == "\\" else 1
            if end >= length or css[end] != char:
                raise CssError("This string is never closed.", _line_at(css, position))
            position = end + 1
            continue
        if char in CLOSERS:
            stack.append((char, position))
        elif char in CLOSERS.values():
            if not stack or CLOSERS[stack[-1][0]] != char:
                raise CssError(f"This “{char}” has no matching opening one (unbalanced {BRACKET_NAMES[char]}).",
                               _line_at(css, position))
            stack.pop()
        position += 1
    if stack:
        opener, where = stack[-1]
        raise CssError(f"This “{opener}” is never closed with “{CLOSERS[opener]}” "
                       f"(unbalanced {BRACKET_NAMES[opener]}).", _line_at(css, where))


RAW_NEEDLES = (("expression(", "expression() is not allowed."),
               ("@import", "@import is not allowed: everything must be in this CSS."),
               ("-moz-binding", "-moz-binding is not allowed."),
               *((scheme, f"“{scheme}” is not allowed.") for scheme in SCRIPT_SCHEMES))
RAW_PATTERNS = tuple((re.compile(r"\s*".join(map(re.escape, needle)), re.IGNORECASE), message)
                     for needle, message in RAW_NEEDLES)


def _check_raw_text(css: str) -> None:
    """A second net under the token checks: the text without comments, white space allowed anywhere."""
    blanked = COMMENTS.sub(lambda match: re.sub(r"[^\n]", " ", match.group()), css)
    for pattern, message in RAW_PATTERNS:
        found = pattern.search(blanked)
        if found:
            raise CssError(message, _line_at(blanked, found.start()))


def _check_rule(node, *, top_level: bool = False, in_keyframes: bool = False) -> None:
    line = getattr(node, "source_line", None)
    if isinstance(node, ast.ParseError):
        if node.kind == "invalid" and "{} block" in node.message:
            raise CssError("This selector has no { … } block after it.", line)
        raise CssError(f"The CSS cannot be read here ({node.message}).", line)
    if isinstance(node, ast.AtRule):
        if node.lower_at_keyword not in ALLOWED_AT_RULES:
            raise CssError(f"@{node.at_keyword} is not allowed; only @media, @supports and @keyframes are.", line)
        if node.content is None:
            raise CssError(f"@{node.at_keyword} needs a {{ … }} block.", line)
        _check_tokens(node.prelude)
        for child in tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True):
            _check_rule(child, in_keyframes=node.lower_at_keyword == "keyframes")
    elif isinstance(node, ast.QualifiedRule):
        _check_tokens(node.prelude)
        for child in tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True):
            _check_rule(child, in_keyframes=in_keyframes)
    elif isinstance(node, ast.Declaration):
        if top_level:
            raise CssError("A declaration must be inside a rule (selector { … }).", line)
        if node.lower_name in FORBIDDEN_PROPERTIES or node.lower_name.endswith(("-behavior", "-binding")):
            raise CssError(f"The property “{node.name}” is not allowed.", line)
        _check_tokens(node.value)


def _check_tokens(tokens, url_context: str | None = None) -> None:
    for token in tokens:
        line = getattr(token, "source_line", None)
        if isinstance(token, ast.URLToken):
            _check_url(token.value, line)
        elif isinstance(token, ast.StringToken):
            if url_context:
                _check_url(token.value, line)
            _check_no_script(token.value, line)
        elif isinstance(token, ast.FunctionBlock):
            if token.lower_name in FORBIDDEN_FUNCTIONS:
                raise CssError(f"{token.name}() is not allowed.", line)
            _check_tokens(token.arguments, token.lower_name if token.lower_name in URL_FUNCTIONS else url_context)
        elif isinstance(token, ast.AtKeywordToken):
            raise CssError(f"@{token.value} is not allowed here.", line)
        elif isinstance(token, (ast.ParenthesesBlock, ast.SquareBracketsBlock, ast.CurlyBracketsBlock)):
            _check_tokens(token.content, url_context)
        elif isinstance(token, ast.ParseError):
            raise CssError(f"The CSS cannot be read here ({token.message}).", line)


def _check_no_script(text: str, line: int | None) -> None:
    compact = URL_NOISE.sub("", text).lower()
    if any(scheme in compact for scheme in SCRIPT_SCHEMES):
        raise CssError("Script URLs (javascript:, vbscript:) are not allowed.", line)


def _check_url(url: str, line: int | None) -> None:
    cleaned = URL_NOISE.sub("", url)
    match = SCHEME.match(cleaned)
    if match:
        if match[1].lower() != "https":
            raise CssError(f"url() may point only to https:// or to a path on this site, not to "
                           f"“{match[1].lower()}:” addresses. Upload images to the media library.", line)
    elif cleaned.startswith(("//", "\\", "/\\")):
        raise CssError("url() may point only to https:// or to a path on this site; write https:// in full.", line)


# -- scoping for the preview --------------------------------------------------------------------
ROOT_SELECTOR = re.compile(r"^(?:(?::root|html|body)(?:\.storefront)?|\.storefront)(?![\w-])", re.IGNORECASE)


def scope_css(css: str, scope: str) -> str:
    """Rewrite (already validated or trusted) CSS so that it applies inside ``scope`` only.

    ``:root``, ``html``, ``body`` and ``.storefront`` become the scope itself; any other selector
    is prefixed with it. Rules inside @media/@supports are scoped too; @keyframes stay as they are.
    """
    nodes = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return "\n".join(part for part in (_scope_node(node, scope) for node in nodes) if part)


def _scope_node(node, scope: str) -> str:
    if isinstance(node, ast.QualifiedRule):
        return f"{_scope_selectors(node.prelude, scope)} {{{tinycss2.serialize(node.content)}}}"
    if isinstance(node, ast.AtRule) and node.content is not None and node.lower_at_keyword in ("media", "supports"):
        inner = tinycss2.parse_rule_list(node.content, skip_comments=True, skip_whitespace=True)
        body = "\n".join(part for part in (_scope_node(child, scope) for child in inner) if part)
        return f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}{{\n{body}\n}}"
    if isinstance(node, ast.AtRule):
        return node.serialize()
    return ""


def _scope_selectors(prelude, scope: str) -> str:
    selectors, current = [], []
    for token in prelude:
        if isinstance(token, ast.LiteralToken) and token.value == ",":
            selectors.append(current)
            current = []
        else:
            current.append(token)
    selectors.append(current)
    scoped = []
    for tokens in selectors:
        selector = tinycss2.serialize(tokens).strip()
        match = ROOT_SELECTOR.match(selector)
        scoped.append(scope + selector[match.end():] if match else f"{scope} {selector}")
    return ", ".join(scoped)


@lru_cache(maxsize=4)
def scoped_file(path: str, scope: str) -> str:
    """A static stylesheet scoped once per process (the storefront's look inside the admin preview)."""
    return scope_css(Path(path).read_text(encoding="utf-8"), scope)
