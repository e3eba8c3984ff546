"""Reading the e-mails a test sent: the HTML part as a reader sees it."""

from html.parser import HTMLParser


class Blocks(HTMLParser):
    """The text of an HTML mail as a reader sees it: one string per paragraph, item, cell."""

    BLOCK = {"p", "li", "h1", "h2", "td", "tr", "table", "ul", "br", "body", "title"}

    def __init__(self):
        super().__init__()
        self.blocks, self.text, self.hrefs = [], [], []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self.hrefs.append(dict(attrs)["href"])
        if tag in self.BLOCK:
            self.flush()

    def handle_endtag(self, tag):
        if tag in self.BLOCK:
            self.flush()

    def handle_data(self, data):
        self.text.append(data)

    def flush(self):
        text = " ".join("".join(self.text).split())
        if text:
            self.blocks.append(text)
        self.text = []


def html_of(message) -> Blocks:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    parser = Blocks()
    parser.feed(content)
    parser.close()
    parser.flush()
    return parser
