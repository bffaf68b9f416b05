"""Page furniture never reaches NLP: credits, bylines, related links, cookie banners, caption credits."""
from __future__ import annotations

import pytest

from kg.ingest import clean_text


@pytest.mark.parametrize("furniture", [
    "Khalil Ashawi",
    "By Reuters",
    "Related article: Russia to Turkey: You Can't Have Syrian Safe Zone Without Assad's Consent",
    "You might also like",
    "This website uses cookies to improve your experience. We'll assume you're ok with this. Accept Read More",
    "Print Tweet Views",
    "Source: Russia news | World | News |",
    "Original url:",
    "2",
])
def test_furniture_lines_are_dropped(furniture):
    text = f"Putin met Erdogan in Sochi.\n\n{furniture}\n\nThey agreed on a ceasefire."
    assert clean_text(text) == "Putin met Erdogan in Sochi.\n\nThey agreed on a ceasefire."


def test_caption_credits_are_cut_but_the_caption_stays():
    text = "Russia has threatened to resume airstrikes on Syrian insurgents (Image: GETTY)"
    assert clean_text(text) == "Russia has threatened to resume airstrikes on Syrian insurgents"


def test_markdown_markup_is_removed_and_link_text_kept():
    text = "# Idlib talks\n\n**Moscow** said [Ankara](https://example.org) agreed.\n\n<https://example.org/a>"
    assert clean_text(text, markdown=True) == "Idlib talks\n\nMoscow said Ankara agreed."


def test_sentences_and_short_lowercase_lines_are_kept():
    text = "Putin met Erdogan.\n\nSyrian rebel\n\nThe talks ended."
    assert clean_text(text) == text
