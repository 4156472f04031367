"""nlp.normalize: signals are extracted before stripping; the text is clean and searchable."""

from __future__ import annotations

from dataclasses import fields

import pytest

from nlp.normalize import MAX_CHARS, ZWNJ, NormalizedText, normalize, normalize_for_search, split_hashtag


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("كتاب خوبي بود", "کتاب خوبی بود"),  # Arabic kaf/yeh → Persian
        ("سفارش ۱۲۳۴ و ١٢٣٤ و 1234", "سفارش 1234 و 1234 و 1234"),  # every digit → ASCII
        ("سلام\u200f \u202bدنیا\u202c", "سلام دنیا"),  # bidi controls
        ("سل\u200bام\ufeff", "سلام"),  # zero-width space, BOM
        ("کتاب\u200c\u200cها", f"کتاب{ZWNJ}ها"),  # doubled ZWNJ
        (f"{ZWNJ}سلام{ZWNJ} دنیا", "سلام دنیا"),  # ZWNJ at word edges
        ("می خواهم", f"می{ZWNJ}خواهم"),  # hazm: separate "می"
        ("<p>سلام <b>دنیا</b></p>", "سلام دنیا"),
        ("<script>alert(1)</script>سلام", "سلام"),
        ("a<SCRIPT src=x>b</Script >c", "a c"),
        ("سلام<script>unclosed", "سلام"),  # an unclosed script runs to the end, as in a browser
        ("<style>p{color:red}</style>متن", "متن"),
        ("&lt;b&gt;سلام&lt;/b&gt; &amp; دنیا", "سلام & دنیا"),
        ("a < b و c > d", "a < b و c > d"),  # comparison signs are not tags
        ("خیلیییییی خوبه", "خیلی خوبه"),
        ("عاااالی", "عالی"),
        ("خـــــوب", "خوب"),  # kashida
        ("\x00سلام\x07", "سلام"),
        ("", ""),
    ],
)
def test_normalized_text(raw: str, expected: str) -> None:
    assert normalize(raw).text == expected


@pytest.mark.parametrize(
    ("raw", "field", "expected"),
    [
        ("خیلیییی بد بود", "stretched", ["خیلی"]),
        ("چرا؟؟؟ واقعا!!!", "repeated_punct", ["؟؟؟", "!!!"]),
        ("صبر کنید...", "repeated_punct", []),  # an ellipsis is not emphasis
        ("@Sabzino_Support سلام @ali.r", "mentions", ["Sabzino_Support", "ali.r"]),
        ("ایمیل a@b.com", "mentions", []),
        ("#دیجی_کالا #تخفیف", "hashtags", ["دیجی_کالا", "تخفیف"]),
        ("#دیجی_کالا #SabzinoSupport", "hashtag_words", ["دیجی کالا", "Sabzino Support"]),
        (
            "ببین https://sabzino.ir/o/12?a=1. و www.x.com",
            "urls",
            ["https://sabzino.ir/o/12?a=1", "www.x.com"],
        ),
        ("عالی 😍👍🏽", "emojis", ["😍", "👍🏽"]),
        ("خانواده 👨\u200d👩\u200d👧", "emojis", ["👨\u200d👩\u200d👧"]),
        ("بدون ایموجی", "emojis", []),
    ],
)
def test_signals_extracted(raw: str, field: str, expected: list[str]) -> None:
    assert getattr(normalize(raw), field) == expected


@pytest.mark.parametrize(
    ("raw", "sign"),
    [("عالی 😍😍", 1), ("افتضاح 😡💔", -1), ("🤷", -1), ("هیچی", 0), ("ساعت ⏰", 0)],
)
def test_emoji_polarity_sign(raw: str, sign: int) -> None:
    polarity = normalize(raw).emoji_polarity
    assert -1.0 <= polarity <= 1.0
    assert (polarity > 0) - (polarity < 0) == sign


def test_emoji_and_signals_removed_from_text_but_raw_kept() -> None:
    raw = "\u202bسفارشم #سبزینو هنوززززز نرسیده 😡 https://x.co/1 !!!"
    norm = normalize(raw)
    assert norm.raw == raw
    assert "😡" not in norm.text and "http" not in norm.text and "#" not in norm.text
    assert "سبزینو" in norm.text and "هنوز " in norm.text
    signals = norm.signals()
    assert "raw" not in signals and "text" not in signals
    assert signals["stretched"] == ["هنوز"] and signals["hashtags"] == ["سبزینو"]


def test_huge_string_is_capped() -> None:
    norm = normalize("سلام " * (MAX_CHARS // 2))
    assert norm.truncated
    assert len(norm.text) <= MAX_CHARS
    assert len(norm.raw) > MAX_CHARS  # the raw text is kept as given


@pytest.mark.parametrize(
    "hostile",
    [
        "<" * 10_000,
        "<script>" * 3_000,
        "<a" + " x" * 5_000,
        "&#" * 5_000,
        "#" * 5_000 + "سلام",
        "@" * 5_000,
        "\ud800 lone surrogate",
        "\u202e" * 1000 + "RTL override",
        "x" * 50_000,
    ],
)
def test_hostile_input_never_raises(hostile: str) -> None:
    norm = normalize(hostile)
    assert isinstance(norm.text, str)
    assert "\u202e" not in norm.text and "\ud800" not in norm.text


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("دیجي‌كالا", "دیجی‌کالا"),
        ("سفارش ۱۲۳", "سفارش 123"),
        ("سلام\u200f", "سلام"),
        ("#پیک_سبزینو", "پیک سبزینو"),
        ("خیلییییی", "خیلی"),
        ("قیمت خانه\u0654 ما", "قیمت خانه ما"),  # the ezafe typed as «ه» + hamza
        ("قیمت خانۀ ما", "قیمت خانه ما"),  # … and as the one letter «ۀ»
    ],
)
def test_search_normalisation_is_the_same_for_variants(a: str, b: str) -> None:
    assert normalize_for_search(a) == normalize_for_search(b)


def test_search_normalisation_equals_stored_text() -> None:
    raw = "سفارش ۱۲۳ از @sabzino #تخفیف_ویژه 😍"
    assert normalize_for_search(raw) == normalize(raw).text
    assert normalize_for_search(normalize_for_search(raw)) == normalize_for_search(raw)  # idempotent


@pytest.mark.parametrize(
    ("tag", "words"),
    [
        ("دیجی_کالا", "دیجی کالا"),
        ("SabzinoSupport", "Sabzino Support"),
        ("NOBANK_app", "NOBANK app"),
        ("سبزینو", "سبزینو"),
    ],
)
def test_split_hashtag(tag: str, words: str) -> None:
    assert split_hashtag(tag) == words


def test_signals_cover_every_field_but_raw_and_text() -> None:
    norm = normalize("سلام @a #b https://c.d 😍 خیلیییی!!!")
    assert set(norm.signals()) == {f.name for f in fields(NormalizedText)} - {"raw", "text"}


@pytest.mark.parametrize("text", ["0.0", "قیمت ۱٫۵ میلیون", "x 1.5.2 y", "1.5%", "0 ٫ 0"])
def test_decimals_normalise_to_a_fixed_point(text: str) -> None:
    # hazm writes "1.5" as "1 ٫ 5"; normalising that again must not give "1. 5" (found by hypothesis)
    once = normalize_for_search(text)
    assert normalize_for_search(once) == once
    assert " ٫ " in once or "٫" not in once
