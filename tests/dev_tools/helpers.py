"""Reading the attributes of rendered HTML the way a browser would (entities decoded)."""
from html.parser import HTMLParser


class _AttributeCollector(HTMLParser):
    def __init__(self, name: str):
        super().__init__()
        self.name = name
        self.values: list[str] = []

    def handle_starttag(self, tag, attrs):
        for key, value in attrs:
            if key == self.name:
                self.values.append(value or "")


def attribute_values(html: str, name: str) -> list[str]:
    """Every value of attribute ``name`` in ``html``, in document order."""
    collector = _AttributeCollector(name)
    collector.feed(html)
    return collector.values
