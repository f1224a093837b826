"""Generated demo data: a synthetic Gò Vấp with wards, units, cameras, complex points, named
places, streets and a year of incidents, deterministic from a seed.

Everything here is DEMO data. Street and place names sound real, but the district outline,
the ward boundaries, the roads and every incident are synthetic (no file is read): nothing
may be mistaken for police records. All of it enters through commands, like any officer's
work, so the log, the projections and a replay agree.

The district and the incidents are generated history: a simulated centre works through the
calls of ``days`` days in time order, all incidents interleaved, and each command is recorded
at the moment it would have happened (``EventStore.import_history``), so the shift report's
response times, the units' time by status and a replay at any moment are believable. Those
events carry the console ``generated-history`` (no live console may use it) and the demo's
actors (``demo:…``): the log says which times were supplied. The streets, the named places
and the boundary editions are recorded after them, at the real time.

The ward history follows the real one: 16 wards until 2024-12-31, 12 from 2025-01-01
(Phường 4, 7, 9 and 13 merged into neighbours), 6 from 2025-07-01. The editions are
imported last: their presence marks a complete seeding (a second run adds nothing), and an
interrupted run is completed by running again.

Modules, each importing only those listed after it (the import-linter contract "demo
modules point down only" in pyproject.toml):

- ``seed``: ``seed_demo``, the entry (``gvcommand --demo``, ``gvcommand-admin seed-demo``)
- ``history``: the generated history, command by command, each at its time
- ``centre``: the dispatch centre at work (whom it sends, how long each step takes)
- ``incidents``: the calls (types, hours, places, sources) and the weekly drills
- ``cameras``, ``complex_points``, ``roster`` (units and their simulated phones),
  ``places`` (named places for the gazetteer), ``roads`` (the street network)
- ``district``: the outline, the three ward editions, main roads, hotspots, addresses

Nothing is imported here: ``gvcommand.demo.roster.SIM_PREFIX`` costs the AVL simulator no
geometry.
"""
