"""The camera wall's plain parts (gvcommand.ui.camera_wall: layout, budget, fill,
wall_settings), tested without Qt: this folder is outside tests/ui, whose fixtures import Qt,
and nothing here imports PySide6 (test_without_qt.py runs these tests with Qt unimportable).
"""
