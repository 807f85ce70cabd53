"""Geometry of the server-rendered SVG charts (templates/indicators/charts/*.html draw it).

Every chart is built from the same rows its data table shows, so the picture, the table and
the CSV cannot disagree. No chart library: a bar chart, a sparkline and a tile map are a few
rectangles and lines, and a library would mean JavaScript or a build step.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.text import Truncator

BAR_HEIGHT = 18
BAR_GAP = 6
LABEL_WIDTH = 150
VALUE_WIDTH = 80
BAR_CHART_WIDTH = 640


@dataclass
class Bar:
    label: str
    value: Decimal
    x: float
    y: float
    width: float
    text: str

    @property
    def label_x(self) -> int:
        return LABEL_WIDTH - 6

    @property
    def text_y(self) -> float:
        return self.y + BAR_HEIGHT * 0.75

    @property
    def value_x(self) -> float:
        return round(self.x + self.width + 4, 1)

    @property
    def height(self) -> int:
        return BAR_HEIGHT


@dataclass
class BarChart:
    width: int
    height: int
    label_width: int
    bars: list[Bar] = field(default_factory=list)
    zero_x: float = 0

    def marks(self) -> SafeString:
        """The bars' SVG elements (label, rectangle, value), escaped. Built here rather than by
        a template loop: a comparison draws 200 bars, and the loop was most of its render time."""
        return format_html_join(
            "\n",
            '<text x="{}" y="{}" text-anchor="end">{}</text>'
            '<rect class="bar" x="{}" y="{}" width="{}" height="{}"/>'
            '<text x="{}" y="{}">{}</text>',
            (
                (
                    bar.label_x,
                    bar.text_y,
                    Truncator(bar.label).chars(12),
                    bar.x,
                    bar.y,
                    bar.width,
                    bar.height,
                    bar.value_x,
                    bar.text_y,
                    bar.text,
                )
                for bar in self.bars
            ),
        )


def number_text(value) -> str:
    """A decimal without trailing zeros or exponent: 93.5000 → 93.5, 100 → 100; "—" for none."""
    if value is None or value == "":
        return "—"
    return f"{Decimal(value).normalize():f}"


def bar_chart(rows, unit: str = "") -> BarChart:
    """Horizontal bars for `rows` = [(label, value)], in the given order. Negative values draw
    left of a zero line."""
    values = [Decimal(v) for _, v in rows]
    low = min([Decimal(0), *values]) if values else Decimal(0)
    high = max([Decimal(0), *values])
    span = (high - low) or Decimal(1)
    plot = BAR_CHART_WIDTH - LABEL_WIDTH - VALUE_WIDTH

    def x_of(v):
        return LABEL_WIDTH + float((Decimal(v) - low) / span) * plot

    zero_x = x_of(0)
    chart = BarChart(
        width=BAR_CHART_WIDTH,
        height=max(1, len(rows)) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP,
        label_width=LABEL_WIDTH,
        zero_x=round(zero_x, 1),
    )
    for n, (label, value) in enumerate(rows):
        x1 = x_of(value)
        chart.bars.append(
            Bar(
                label=label,
                value=Decimal(value),
                x=round(min(zero_x, x1), 1),
                y=BAR_GAP + n * (BAR_HEIGHT + BAR_GAP),
                width=round(max(abs(x1 - zero_x), 1), 1),
                text=f"{number_text(value)}{unit}",
            )
        )
    return chart


@dataclass
class Sparkline:
    width: int
    height: int
    segments: list[str]  # SVG polyline points; a missing year breaks the line
    dots: list[tuple[float, float]]
    target_y: float | None
    first_year: int | None
    last_year: int | None

    def svg(self, label: str) -> SafeString:
        """The whole small chart, `label` its text alternative; built here, not by a template
        include, because a dashboard draws 60 of them."""
        return format_html(
            '<svg class="sparkline" role="img" aria-label="{}" viewBox="0 0 {} {}" width="{}"'
            ' height="{}" xmlns="http://www.w3.org/2000/svg">{}</svg>',
            label,
            self.width,
            self.height,
            self.width,
            self.height,
            self.marks(),
        )

    def marks(self) -> SafeString:
        """The target line, the line segments and the dots, escaped."""
        target = (
            format_html(
                '<line class="target" x1="0" y1="{}" x2="{}" y2="{}" stroke="#7a3e00"'
                ' stroke-dasharray="4 3"/>',
                self.target_y,
                self.width,
                self.target_y,
            )
            if self.target_y is not None
            else ""
        )
        lines = format_html_join(
            "", '<polyline class="spark-line" points="{}"/>', ((p,) for p in self.segments)
        )
        dots = format_html_join(
            "", '<circle class="spark-dot" cx="{}" cy="{}" r="2.5"/>', self.dots
        )
        return target + lines + dots


def sparkline(points, target=None, width=160, height=40) -> Sparkline:
    """A small trend line over consecutive years; `points` = [(year, value or None)]."""
    known = [(y, Decimal(v)) for y, v in points if v is not None]
    if not known:
        return Sparkline(width, height, [], [], None, None, None)
    years = [y for y, _ in points]
    first, last = min(years), max(years)
    values = [v for _, v in known] + ([Decimal(target)] if target is not None else [])
    low, high = min(values), max(values)
    span = (high - low) or Decimal(1)
    pad = 4

    def xy(year, value):
        x = pad + ((year - first) / ((last - first) or 1)) * (width - 2 * pad)
        y = height - pad - float((value - low) / span) * (height - 2 * pad)
        return round(x, 1), round(y, 1)

    segments, current, dots = [], [], []
    for year, value in sorted(points):
        if value is None:
            if current:
                segments.append(current)
            current = []
            continue
        point = xy(year, Decimal(value))
        current.append(point)
        dots.append(point)
    if current:
        segments.append(current)
    target_y = xy(first, Decimal(target))[1] if target is not None else None
    return Sparkline(
        width,
        height,
        [" ".join(f"{x},{y}" for x, y in seg) for seg in segments],
        dots,
        target_y,
        first,
        last,
    )


TILE = 58
TILE_GAP = 4
# A tile-grid cartogram of China's provincial units: (row, column), roughly where each lies.
# Drawn offline; no boundaries or tiles from outside.
TILE_GRID = {
    "230000": (0, 8),  # 黑龙江
    "650000": (1, 1),  # 新疆
    "150000": (1, 5),  # 内蒙古
    "110000": (1, 6),  # 北京
    "220000": (1, 8),  # 吉林
    "630000": (2, 2),  # 青海
    "620000": (2, 3),  # 甘肃
    "640000": (2, 4),  # 宁夏
    "140000": (2, 5),  # 山西
    "130000": (2, 6),  # 河北
    "120000": (2, 7),  # 天津
    "210000": (2, 8),  # 辽宁
    "540000": (3, 1),  # 西藏
    "510000": (3, 3),  # 四川
    "610000": (3, 4),  # 陕西
    "410000": (3, 5),  # 河南
    "370000": (3, 6),  # 山东
    "500000": (4, 4),  # 重庆
    "420000": (4, 5),  # 湖北
    "340000": (4, 6),  # 安徽
    "320000": (4, 7),  # 江苏
    "310000": (4, 8),  # 上海
    "530000": (5, 3),  # 云南
    "520000": (5, 4),  # 贵州
    "430000": (5, 5),  # 湖南
    "360000": (5, 6),  # 江西
    "330000": (5, 7),  # 浙江
    "450000": (6, 4),  # 广西
    "440000": (6, 5),  # 广东
    "350000": (6, 6),  # 福建
    "710000": (6, 7),  # 台湾
    "460000": (7, 4),  # 海南
    "820000": (7, 5),  # 澳门
    "810000": (7, 6),  # 香港
}


@dataclass
class Tile:
    code: str
    name: str
    short: str
    x: int
    y: int
    count: int
    level: int  # shade 0–3
    detail: str

    @property
    def text_x(self) -> float:
        return self.x + TILE / 2

    @property
    def name_y(self) -> float:
        return self.y + TILE * 0.42

    @property
    def count_y(self) -> float:
        return self.y + TILE * 0.8


def tile_map(provinces) -> dict:
    """`provinces` = [(code, name, short name, count, detail)] → tiles placed on the grid."""
    tiles = []
    for code, name, short, count, detail in provinces:
        if code not in TILE_GRID:
            continue
        row, col = TILE_GRID[code]
        tiles.append(
            Tile(
                code=code,
                name=name,
                short=short,
                x=col * (TILE + TILE_GAP),
                y=row * (TILE + TILE_GAP),
                count=count,
                level=min(count, 3),
                detail=detail,
            )
        )
    cols = max(c for _, c in TILE_GRID.values()) + 1
    rows = max(r for r, _ in TILE_GRID.values()) + 1
    return {
        "tiles": tiles,
        "width": cols * (TILE + TILE_GAP),
        "height": rows * (TILE + TILE_GAP),
        "tile": TILE,
    }
