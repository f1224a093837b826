"""Domain core: entities, state machines, commands, events, permissions, replay.

Plain Python: no Qt, no SQL, no VLC (enforced by import-linter).
"""
