"""Which side a chart starts from. A Persian page reads right to left, so its charts put the first
point (the oldest) and the bars' base at the right; an English page reads left to right and wants
the mirror image: time running backwards is misread. Each chart lays its shapes out once, for RTL,
and maps every x through ``ChartSide`` so the English chart is that layout mirrored."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ChartSide:
    width: float
    rtl: bool = True

    def x(self, x: float, w: float = 0.0) -> float:
        """The left edge of a shape ``w`` wide whose left edge is ``x`` in the RTL layout."""
        return x if self.rtl else self.width - x - w

    def anchor(self, anchor: str) -> str:
        """A text-anchor in an SVG drawn ``direction="ltr"`` (physical: "end" is the right edge)."""
        if self.rtl or anchor == "middle":
            return anchor
        return "start" if anchor == "end" else "end"

    @property
    def direction(self) -> str:
        return "rtl" if self.rtl else "ltr"
