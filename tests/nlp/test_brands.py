"""nlp.brands: aliases in three scripts, ZWNJ/space variants, clitics, handles, hashtags, exclusions."""

from __future__ import annotations

import pytest

from domain.brands import BrandSettings
from nlp.brands import BrandMatcher
from nlp.normalize import normalize

BRANDS = [
    BrandSettings(
        name="digikala",
        aliases_fa=["دیجی‌کالا"],
        aliases_latin=["Digikala"],
        aliases_finglish=["dijikala"],
        handles=["digikalacom"],
        hashtags=["دیجی_کالا"],
    ),
    BrandSettings(
        name="sabzino",
        aliases_fa=["سبزینو"],
        aliases_latin=["Sabzino"],
        aliases_finglish=["sabzeeno"],
        handles=["sabzino", "sabzino_support"],
        hashtags=["سبزینو"],
    ),
    BrandSettings(
        name="nobank",
        aliases_fa=["نوبانک"],
        aliases_latin=["Nobank"],
        aliases_finglish=["no bank"],
        handles=["nobank_ir"],
        exclude=["no bank account", "no bank branch"],
    ),
    BrandSettings(name="tazeh", aliases_fa=["تازه‌مارکت"], aliases_latin=["Tazeh Market"], competitor=True),
]


@pytest.fixture(scope="module")
def matcher() -> BrandMatcher:
    return BrandMatcher(BRANDS)


@pytest.mark.parametrize(
    ("text", "brands"),
    [
        ("از دیجی‌کالا خریدم", ["digikala"]),
        ("دیجیکالا خیلی کند شده", ["digikala"]),
        ("دیجی کالا جواب نمیده", ["digikala"]),
        ("این دیجی‌کالاییه؟", ["digikala"]),
        ("دیجی‌کالا‌ها همه همینن", ["digikala"]),
        ("دیجي‌كالا", ["digikala"]),  # Arabic keyboard
        ("#دیجی_کالا", ["digikala"]),
        ("DIGIKALA is down", ["digikala"]),
        ("bought it on digikala's site", ["digikala"]),
        ("dijikala kharabe", ["digikala"]),
        ("@digikalacom help", ["digikala"]),
        ("سبزینوها همیشه دیر میارن", ["sabzino"]),
        ("سبزینو رو پاک کردم", ["sabzino"]),
        ("@Sabzino_Support کجایید", ["sabzino"]),
        ("sabzino_support جواب نداد", ["sabzino"]),
        ("sabzeeno kharabe", ["sabzino"]),
        ("سفارش از https://www.sabzino.ir/o/1", ["sabzino"]),
        ("نوبانک و سبزینو", ["sabzino", "nobank"]),
        ("the no bank app is down again", ["nobank"]),
        ("انتقال وجه با نو بانک انجام نشد", ["nobank"]),  # a space after a non-joining letter
        ("تازه‌مارکت ارزون‌تره", ["tazeh"]),
        ("تازه مارکت", ["tazeh"]),
    ],
)
def test_positive_matches(matcher: BrandMatcher, text: str, brands: list[str]) -> None:
    assert matcher.match(text) == brands


@pytest.mark.parametrize(
    "text",
    [
        "کالا رسید",  # a part of the alias alone
        "دیجی",
        "digikalaa",
        "mydigikala",
        "سبزی نو خریدم",  # the alias's letters across a space it does not have
        "سبزیجات تازه",
        "میوه تازه رسید",  # تازه (fresh) without مارکت
        "نوبت من شد",
        "سبزین و نو",  # a space after a joining letter is not a spelling variant
        "بانک نو",
        "I have no bank account at all",  # excluded
        "there is no bank branch nearby",
        "sabzinoapp",
    ],
)
def test_hard_negatives(matcher: BrandMatcher, text: str) -> None:
    assert matcher.match(text) == []


@pytest.mark.parametrize(
    ("author", "brands"),
    [("sabzino_support", ["sabzino"]), ("Sabzino_Support", ["sabzino"]), ("someone", []), (None, [])],
)
def test_posts_by_a_brand_handle_belong_to_the_brand(
    matcher: BrandMatcher, author: str | None, brands: list[str]
) -> None:
    assert matcher.match_normalized(normalize("سلام، پیگیری می‌کنیم 🙏"), author) == brands


def test_no_brands_configured() -> None:
    assert BrandMatcher([]).match("دیجی‌کالا") == []


def test_names_keep_configuration_order(matcher: BrandMatcher) -> None:
    assert matcher.names == ["digikala", "sabzino", "nobank", "tazeh"]


@pytest.mark.parametrize("text", ["<" * 10_000, "دیجی " * 20_000, "\u202eدیجی‌کالا\u202c"])
def test_hostile_text(matcher: BrandMatcher, text: str) -> None:
    assert set(matcher.match(text)) <= {"digikala"}
