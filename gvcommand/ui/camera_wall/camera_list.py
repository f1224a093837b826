"""The camera list beside the wall: filter by name, code or ward (with or without Vietnamese
diacritics: "go vap" finds "Gò Vấp") and by owner; drag a camera onto a tile, or
double-click it to put it into the selected tile."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence

from PySide6.QtCore import (
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QLineEdit,
    QListView,
    QVBoxLayout,
    QWidget,
)

from ...core.model import Camera, CameraOwner
from ...map.canvas import CAMERA_MIME
from .tile import camera_mime

CODE_ROLE = Qt.ItemDataRole.UserRole + 1
OWNER_ROLE = Qt.ItemDataRole.UserRole + 2
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 3


def fold(text: str) -> str:
    """Lower case without diacritics (đ → d), for searching as officers type."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


class _CameraModel(QStandardItemModel):
    def mimeTypes(self) -> list[str]:
        return [CAMERA_MIME]

    def mimeData(self, indexes: Sequence[QModelIndex]) -> QMimeData:
        codes: list[str] = []
        for index in indexes:
            code = index.data(CODE_ROLE)
            if code and code not in codes:
                codes.append(code)
        return camera_mime(codes)


class _Filter(QSortFilterProxyModel):
    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []
        self.owner: str | None = None

    def filterAcceptsRow(self, row: int,
                         parent: QModelIndex | QPersistentModelIndex) -> bool:
        index = self.sourceModel().index(row, 0, parent)
        if self.owner is not None and index.data(OWNER_ROLE) != self.owner:
            return False
        text = index.data(SEARCH_ROLE) or ""
        return all(w in text for w in self.words)


class CameraList(QWidget):
    activated = Signal(str)  # camera code (double-click or Enter)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("camera_list_panel")
        self.search = QLineEdit()
        self.search.setObjectName("camera_search")
        self.search.setPlaceholderText(self.tr("Find a camera: name, code, ward…"))
        self.search.setClearButtonEnabled(True)
        self.owner = QComboBox()
        self.owner.setObjectName("camera_owner_filter")
        self.owner.addItem(self.tr("All owners"), None)
        for owner in CameraOwner:
            self.owner.addItem(owner.label, owner.value)
        self.model = _CameraModel(self)
        self.proxy = _Filter()
        self.proxy.setParent(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.sort(0)
        self.view = QListView()
        self.view.setObjectName("camera_list")
        self.view.setModel(self.proxy)
        self.view.setDragEnabled(True)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragOnly)
        self.view.setDefaultDropAction(Qt.DropAction.CopyAction)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setUniformItemSizes(True)
        self.view.activated.connect(self._on_activated)
        self.search.textChanged.connect(self._on_filter_changed)
        self.owner.currentIndexChanged.connect(self._on_filter_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(3)
        layout.addWidget(self.search)
        layout.addWidget(self.owner)
        layout.addWidget(self.view, 1)

    def set_cameras(self, cameras: Iterable[Camera], ward_names: Mapping[str, str]) -> None:
        self.model.clear()
        for cam in cameras:
            ward = ward_names.get(cam.ward or "", cam.ward or "")
            item = QStandardItem(f"{cam.name} ({cam.code})" + (f" · {ward}" if ward else ""))
            item.setData(cam.code, CODE_ROLE)
            item.setData(str(cam.owner), OWNER_ROLE)
            item.setData(fold(" ".join((cam.name, cam.code, ward, cam.address or ""))),
                         SEARCH_ROLE)
            item.setToolTip("\n".join(x for x in (cam.name, cam.address, ward,
                                                  cam.owner.label) if x))
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                          | Qt.ItemFlag.ItemIsDragEnabled)
            self.model.appendRow(item)
        self.proxy.sort(0)

    def visible_codes(self) -> list[str]:
        """The codes the filter lets through, in the order shown."""
        return [self.proxy.index(r, 0).data(CODE_ROLE) for r in range(self.proxy.rowCount())]

    def mime_for(self, code: str) -> QMimeData:
        """What dragging ``code`` out of the list carries (the view's own drag uses it)."""
        for row in range(self.model.rowCount()):
            index = self.model.index(row, 0)
            if index.data(CODE_ROLE) == code:
                return self.model.mimeData([index])
        raise KeyError(code)

    def _on_filter_changed(self, *_args: object) -> None:
        self.proxy.words = fold(self.search.text()).split()
        self.proxy.owner = self.owner.currentData()
        self.proxy.invalidate()

    def _on_activated(self, index: QModelIndex) -> None:
        code = index.data(CODE_ROLE)
        if code:
            self.activated.emit(code)
