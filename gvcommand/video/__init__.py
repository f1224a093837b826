"""gvcommand.video layer (see ARCHITECTURE.md): live camera streams.

- ``player.StreamPlayer``: one tile's stream — libVLC (python-vlc) decoding through video
  callbacks into QImages, RTSP relayed through FFmpeg where this libVLC has no RTSP
  client, a watchdog (stalled / reconnect with backoff) and failures named in plain words.
- ``engine.VlcEngine``: the process's one ``vlc.Instance``; ``engine.redact`` for URLs.
- ``relay``: the FFmpeg relay process and the classification of its failures.
- ``urls``, ``credentials``: camera addresses per vendor, and their secrets.
- ``clips``, ``rtsp_server``, ``demo_cameras``: the generated H.264 clips and the loopback
  GStreamer RTSP server the demo and the tests play them from.
"""
