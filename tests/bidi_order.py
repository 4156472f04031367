"""Where words land on a rendered line, to check the order a reader sees (bidi), not the markup's."""

from __future__ import annotations

from storage.repository import MentionStore
from tests.archive.corpus import DAY1, _m, save_corpus


def save_mixed_direction_complaints(store: MentionStore, *more: dict) -> dict[str, int]:
    """Two sabzino delivery complaints of 1403/09/01 with the largest reach (quoted first): an English
    one of two sentences and a Persian one that opens with a @handle; ``more`` rows besides."""
    at = DAY1.replace(hour=9)
    return save_corpus(store, [
        _m("en", "Is sabzino down? My order is 3 hours late", at, ["sabzino"], "negative",
           aspects=("delivery",), followers=10**9, author="en"),
        _m("fa", "@sabzino_help سفارش من کجاست؟ سه ساعته منتظرم", at, ["sabzino"], "negative",
           aspects=("delivery",), followers=10**8, author="fa"),
        *more,
    ])  # fmt: skip


#: ``execute_script(WORD_LEFT_EDGES, css, marker, words)``: in the first element matching ``css``
#: whose text holds ``marker``, the left edge (page pixels) of each word's first occurrence; null
#: for a word not there
WORD_LEFT_EDGES = """
const quote = [...document.querySelectorAll(arguments[0])].find(q => q.textContent.includes(arguments[1]));
const walker = document.createTreeWalker(quote, NodeFilter.SHOW_TEXT);
const nodes = [];
while (walker.nextNode()) nodes.push(walker.currentNode);
const left = (word) => {
  for (const node of nodes) {
    const at = node.textContent.indexOf(word);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at); range.setEnd(node, at + word.length);
      return range.getBoundingClientRect().left;
    }
  }
  return null;
};
return arguments[2].map(left);
"""
