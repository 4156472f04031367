"""A brand (or competitor) to listen for: its names, handles and hashtags."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from pydantic import Field, field_validator

from domain.settings_base import StrictModel


class BrandSettings(StrictModel):
    name: str = Field(max_length=64, description="Canonical brand name, used in storage, alerts and digests.")
    aliases_fa: list[str] = Field(
        default_factory=list, description="Aliases in Persian script, e.g. دیجی‌کالا."
    )
    aliases_latin: list[str] = Field(
        default_factory=list, description="Aliases in Latin script, e.g. Digikala."
    )
    aliases_finglish: list[str] = Field(
        default_factory=list, description="Persian written in Latin letters, e.g. dijikala."
    )
    handles: list[str] = Field(
        default_factory=list,
        description=(
            "The brand's own account handles without @ (X, Instagram): their posts join the brand's "
            "conversations and answer its urgent alerts, but spike detection does not count them."
        ),
    )
    hashtags: list[str] = Field(default_factory=list, description="Hashtags without #, e.g. دیجی_کالا.")
    exclude: list[str] = Field(
        default_factory=list, description="Terms that mark a match as unrelated (e.g. a namesake)."
    )
    competitor: bool = Field(default=False, description="True for a competitor tracked for share of voice.")
    competitors: list[str] | None = Field(
        default=None,
        description="The brands (by name, from this list) this brand's share of voice is compared with; "
        "[] for none. Unset: every brand marked competitor.",
    )
    sensitivity: Literal["low", "normal", "high"] | None = Field(
        default=None,
        description="Spike alerts for this brand: low / normal / high (fewer or more incidents; the README "
        "states each level's measured false-alarm rate and delay). Unset: the global "
        "alerts.detection.sensitivity.",
    )

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("a brand needs a non-blank name")
        return value.strip()


def competitors_of(brands: Sequence[BrandSettings], brand: str) -> list[str]:
    """The brands ``brand``'s share of voice is compared with: its own ``competitors`` where set,
    else every brand marked ``competitor``; never the brand itself."""
    own = next((b for b in brands if b.name == brand), None)
    if own is not None and own.competitors is not None:
        names = own.competitors
    else:
        names = [b.name for b in brands if b.competitor]
    return [n for n in dict.fromkeys(names) if n != brand]
