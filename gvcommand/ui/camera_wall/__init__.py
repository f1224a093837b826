"""The camera wall: live cameras in a layout, docked beside the map (README, "The camera
wall"). No imports here, so that the plain modules (layout, budget) load without Qt."""
