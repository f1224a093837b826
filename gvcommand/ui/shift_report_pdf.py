"""The shift report as a PDF, drawn with Qt's own PDF writer (QPdfWriter + QPainter): no new
dependency, real text (searchable, copyable) in an embedded font that has every Vietnamese
diacritic (DejaVu Sans where installed), and a bar chart drawn as vectors.

Needs a QGuiApplication (for fonts); ``gvcommand-admin report`` makes an offscreen one.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from ..analysis.shift_report import (
    INTERVALS,
    UNIT_STATUS_LABELS,
    ShiftReport,
    local,
    minutes,
)
from ..core.model import UnitStatus

FONT_FILES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
)
FALLBACK_FAMILIES = ("DejaVu Sans", "Segoe UI", "Arial", "Noto Sans")
BAR = QColor("#2f6ea5")
GRID = QColor("#c8c8c8")


def _family() -> str:
    for path in FONT_FILES:
        if Path(path).exists():
            QFontDatabase.addApplicationFont(path)
    families = set(QFontDatabase.families())
    return next((f for f in FALLBACK_FAMILIES if f in families), QFont().defaultFamily())


class _Page:
    """A cursor down A4 pages in points (1/72 inch)."""

    def __init__(self, writer: QPdfWriter, painter: QPainter, family: str) -> None:
        self.writer, self.p, self.family = writer, painter, family
        rect = writer.pageLayout().paintRect(QPageLayout.Unit.Point)
        self.width, self.height = rect.width(), rect.height()
        self.y = 0.0

    def font(self, size: float, bold: bool = False) -> QFontMetricsF:
        font = QFont(self.family)
        font.setPointSizeF(size)
        font.setBold(bold)
        self.p.setFont(font)
        return QFontMetricsF(font, self.writer)

    def need(self, height: float) -> None:
        if self.y + height > self.height:
            self.writer.newPage()
            self.y = 0.0

    def text(self, text: str, size: float = 10, *, bold: bool = False,
             x: float = 0.0) -> None:
        metrics = self.font(size, bold)
        self.need(metrics.height())
        self.p.drawText(QRectF(x, self.y, self.width - x, metrics.height()),
                        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
        self.y += metrics.height() * 1.15

    def gap(self, points: float = 8) -> None:
        self.y += points

    def table(self, headers: list[str], rows: list[list[str]], widths: list[float],
              size: float = 9, *, numeric: frozenset[int] = frozenset()) -> None:
        """Columns at fractions ``widths`` of the line; ``numeric`` ones right-aligned.
        Headers wrap onto a second line when they do not fit."""
        metrics = self.font(size)
        line = metrics.height() * 1.3
        xs = [sum(widths[:i]) * self.width for i in range(len(widths))]
        bold = self.font(size, True)
        header_lines = max(
            (2 if bold.horizontalAdvance(h) > w * self.width - 6 else 1)
            for h, w in zip(headers, widths, strict=False))

        def row(cells: list[str], heading: bool) -> None:
            height = line * (header_lines if heading else 1)
            self.need(height)
            self.font(size, heading)
            for column, (x, w, cell) in enumerate(zip(xs, widths, cells, strict=False)):
                align = Qt.AlignmentFlag.AlignBottom if heading else (
                    Qt.AlignmentFlag.AlignVCenter)
                align |= (Qt.AlignmentFlag.AlignRight if column in numeric
                          else Qt.AlignmentFlag.AlignLeft)
                flags = int(align) | (int(Qt.TextFlag.TextWordWrap) if heading else 0)
                self.p.drawText(QRectF(x, self.y, w * self.width - 6, height), flags, cell)
            self.y += height

        row(headers, True)
        self.p.setPen(GRID)
        self.p.drawLine(0, int(self.y), int(self.width), int(self.y))
        self.p.setPen(Qt.GlobalColor.black)
        for cells in rows:
            row(cells, False)

    def bars(self, title: str, items: list[tuple[str, int]], size: float = 9) -> None:
        """A horizontal bar chart: one bar per item, its count at the end."""
        self.text(title, 11, bold=True)
        if not items:
            self.text("(không có)", size)
            return
        metrics = self.font(size)
        bar_h = metrics.height() * 1.4
        label_w = min(self.width * 0.38,
                      max(metrics.horizontalAdvance(label) for label, _ in items) + 8)
        top = max(n for _, n in items) or 1
        room = self.width - label_w - 40
        for label, n in items:
            self.need(bar_h)
            self.font(size)
            self.p.setPen(Qt.GlobalColor.black)
            self.p.drawText(QRectF(0, self.y, label_w - 6, bar_h),
                            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label)
            length = room * n / top
            self.p.fillRect(QRectF(label_w, self.y + bar_h * 0.15, length, bar_h * 0.7), BAR)
            self.p.drawText(QRectF(label_w + length + 4, self.y, 40, bar_h),
                            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, str(n))
            self.y += bar_h


def write_pdf(report: ShiftReport, path: str | Path, *, title: str = "") -> None:
    writer = QPdfWriter(str(path))
    writer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    writer.setPageMargins(QMarginsF(18, 18, 18, 18), QPageLayout.Unit.Millimeter)
    writer.setResolution(72)  # one unit = one point
    writer.setTitle(title or "Báo cáo ca trực")
    writer.setCreator("gvcommand")
    painter = QPainter(writer)
    try:
        _draw(_Page(writer, painter, _family()), report, title)
    finally:
        painter.end()


def _draw(page: _Page, r: ShiftReport, title: str) -> None:
    start, end = local(r.start_us), local(r.end_us)
    page.text(title or "CÔNG AN QUẬN GÒ VẤP — TRUNG TÂM CHỈ HUY", 9)
    page.text("BÁO CÁO CA TRỰC", 16, bold=True)
    page.text(f"Từ {start:%H:%M %d/%m/%Y} đến {end:%H:%M %d/%m/%Y} "
              f"({r.hours:.0f} giờ, giờ Việt Nam)", 10)
    if r.as_of_us < r.end_us:
        page.text(f"Ca chưa kết thúc: số liệu tính đến {local(r.as_of_us):%H:%M %d/%m/%Y}.", 9,
                  bold=True)
    page.text(f"Tổng số vụ việc tiếp nhận: {r.received}", 11, bold=True)
    if not r.include_exercise:
        page.text(f"Không tính {r.exercises_left_out} vụ diễn tập.", 9)
        drills = list(r.exercise_unit_time_left_out_s.items())
        if drills:  # one line: the first few units, then how many more
            more = f" và {len(drills) - 5} tổ khác" if len(drills) > 5 else ""
            page.text("Không tính thời gian diễn tập của tổ: " + ", ".join(
                f"{cs} ({minutes(s)} phút)" for cs, s in drills[:5]) + more + ".", 9)
    else:
        page.text("Có tính cả các vụ diễn tập và thời gian diễn tập của các tổ.", 9)
    page.gap()
    page.bars("Vụ việc theo loại", list(r.by_type.items()))
    page.gap()
    page.bars("Vụ việc theo phường",
              [(r.ward_names.get(code, code), n) for code, n in r.by_ward.items()])
    page.gap()
    page.text("Thời gian phản ứng (phút)", 11, bold=True)
    page.table(["Khoảng", "Số vụ", "Trung vị", "Phân vị 90"],
               [[label, str(r.intervals[key].count), minutes(r.intervals[key].median_s),
                 minutes(r.intervals[key].p90_s)] for key, _o, _t, label in INTERVALS],
               [0.46, 0.14, 0.2, 0.2], numeric=frozenset({1, 2, 3}))
    page.gap()
    page.text(f"Vụ việc còn mở lúc hết ca: {len(r.open_incidents)}", 11, bold=True)
    if r.open_incidents:
        page.table(["Số", "Loại", "Phường", "Trạng thái", "Tiếp nhận"],
                   [[f"#{o.number}", o.type, r.ward_names.get(o.ward or "", o.ward or ""),
                     o.status,
                     f"{local(o.received_us):%H:%M %d/%m}"] for o in r.open_incidents],
                   [0.08, 0.34, 0.2, 0.2, 0.18])
    page.gap()
    page.text("Thời gian của các tổ theo trạng thái (phút)", 11, bold=True)
    statuses = list(UnitStatus)
    page.table(["Tổ", *[UNIT_STATUS_LABELS[s] for s in statuses]],
               [[cs, *[minutes(t.get(s, 0.0)) for s in statuses]]
                for cs, t in r.unit_time_s.items()],
               [0.16, *[0.14] * len(statuses)], size=8,
               numeric=frozenset(range(1, len(statuses) + 1)))
