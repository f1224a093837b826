"""gvcommand-avl: patrol positions in (Traccar Client / OsmAnd, OwnTracks over HTTP and MQTT)."""
