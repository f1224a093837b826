"""The camera wall: live cameras in a layout, docked beside the map (README, "The camera
wall"). :mod:`.dock` puts it in the console; :mod:`.wall` is the widget, composed of:

- plain Python (no Qt; import-linter keeps them so, tests/wall runs their tests without Qt):
  :mod:`.layout` (the layouts' cells, the shape a grid takes in its area, arrow-key moves,
  saved walls), :mod:`.budget` (the decode budget's fallback plan), :mod:`.fill` (which
  cameras fill the wall for an incident, and when a priority-1 incident takes it by itself),
  :mod:`.wall_settings` (what a workstation keeps);
- the wall's parts: :mod:`.grid` (the tiles' area), :mod:`.streams` (the players, the record
  of live views) with :mod:`.players`, :mod:`.visibility`, :mod:`.controls` (clicks, drags,
  keys), :mod:`.incidents`, :mod:`.saved_walls` and :mod:`.dialogs`;
- its widgets: :mod:`.tile` (painting :mod:`.overlays` in the words of :mod:`.look`),
  :mod:`.camera_list`, :mod:`.bar` (the toolbar and the banner).

Nothing is imported here, so that the plain modules load without Qt.
"""
