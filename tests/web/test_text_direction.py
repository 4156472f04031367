"""A reply box's direction: the sentence's first letter, past the handle, hashtag or link it starts with."""

from __future__ import annotations

import pytest

from shenava.web.text_direction import text_direction


@pytest.mark.parametrize(
    ("text", "direction"),
    [
        ("@ali61 گرامی، پیگیری می‌کنیم.", "rtl"),
        ("@ali.61 #سبزینو https://x.com/a/status/1 ممنون", "rtl"),
        ("@ali61 thanks, we are on it", "ltr"),
        ("\u202e\u200f@ali61 hello", "ltr"),  # controls are no letters
        ("۱۲۳ سفارش", "rtl"),  # digits are weak, Persian ones too: the first letter decides
        ("۱۲۳ order", "ltr"),
        ("@ali61 #tag https://x.com", "auto"),
        ("", "auto"),
        (None, "auto"),
    ],
)
def test_the_first_letter_past_names_decides(text: str | None, direction: str) -> None:
    assert text_direction(text) == direction
