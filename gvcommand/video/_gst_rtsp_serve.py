"""A loopback RTSP server playing the generated clips as endless live streams.

Runs under the *system* python3 (GStreamer's RTSP server comes as Debian packages:
python3-gi, gir1.2-gst-rtsp-server-1.0), so it imports nothing from gvcommand and only
the standard library besides gi. `gvcommand.video.rtsp_server.RtspServer` starts it.

Why frames are pushed by hand: a looping file source (multifilesrc loop=true) gives the
parser no timestamps, so RTP packets go out unpaced with one timestamp and a player
stalls or races. Instead each clip is read once into access units (raw H.264, one buffer
per frame) and an appsrc replays them forever with PTS = n / 25 s; a clocksync paces them
against the pipeline clock. Timestamps stay monotonic across the loop point and each
loop starts on an IDR frame, so decoders never notice the seam.

Mounts (created at start, media made on demand when a client asks, shared between the
clients of one mount and torn down when the last one leaves):
  /camNNN, /camNNN/sub      NNN = 001 … --cameras: the 720p and 360p clips, camera N on
                            clip (N - 1) mod the number of clips
  /clip/<name>              each clip file by its stem
  /mjpeg                    a live MJPEG stream (a codec the relay's MPEG-TS cannot carry)
  /x-gst                    a stream in GStreamer's own RTP payload (X-GST): no camera
                            sends it and FFmpeg cannot read it: the "unsupported codec" case
  /hevc                     a live H.265 stream (as newer cameras send), encoded while
                            someone watches it (320×180, 10 fps: cheap)
  /secure                   the first 360p clip behind RTSP basic authentication
                            (--user, and the password in $GVCOMMAND_RTSP_SECURE_PASSWORD;
                            every other mount is open to anyone)

Prints "READY <port>" on stdout once it listens; exits on SIGTERM/SIGINT, and by itself
within 2 s when the process that started it is gone (no orphan holding the port).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
from pathlib import Path

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402

FPS = 25
FRAME_NS = Gst.SECOND // FPS
AU_CAPS = "video/x-h264,stream-format=byte-stream,alignment=au"


def read_access_units(path: Path) -> list[tuple[bytes, bool]]:
    """The clip's frames as (bytes, is_keyframe), split by h264parse once at start."""
    pipeline = Gst.parse_launch(
        f'filesrc location="{path}" ! h264parse ! {AU_CAPS} ! appsink name=out sync=false')
    sink = pipeline.get_by_name("out")
    units: list[tuple[bytes, bool]] = []
    pipeline.set_state(Gst.State.PLAYING)
    while True:
        sample = sink.emit("pull-sample")
        if sample is None:
            break
        buf = sample.get_buffer()
        ok, info = buf.map(Gst.MapFlags.READ)
        if ok:
            units.append((bytes(info.data), not buf.has_flags(Gst.BufferFlags.DELTA_UNIT)))
            buf.unmap(info)
    pipeline.set_state(Gst.State.NULL)
    # start on a keyframe so every loop does
    first_key = next((i for i, (_, key) in enumerate(units) if key), 0)
    return units[first_key:]


class LoopFactory(GstRtspServer.RTSPMediaFactory):  # type: ignore[misc]
    """Media of one clip: appsrc fed with its frames, looped, paced, payloaded."""

    def __init__(self, units: list[tuple[bytes, bool]]) -> None:
        super().__init__()
        self.units = units
        self.set_shared(True)
        self.set_launch(
            f"( appsrc name=src is-live=true format=time do-timestamp=false "
            f"caps={AU_CAPS},framerate={FPS}/1 ! clocksync ! h264parse config-interval=-1 "
            f"! rtph264pay name=pay0 pt=96 config-interval=-1 )")
        self.connect("media-configure", self._on_media_configure)

    def _on_media_configure(self, _factory: object, media: GstRtspServer.RTSPMedia) -> None:
        src = media.get_element().get_child_by_name("src")
        state = {"n": 0}
        units = self.units

        def need_data(appsrc: Gst.Element, _length: int) -> None:
            n = state["n"]
            data, key = units[n % len(units)]
            buf = Gst.Buffer.new_wrapped(data)
            buf.pts = buf.dts = n * FRAME_NS
            buf.duration = FRAME_NS
            if not key:
                buf.set_flags(Gst.BufferFlags.DELTA_UNIT)
            state["n"] = n + 1
            appsrc.emit("push-buffer", buf)

        src.connect("need-data", need_data)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8554, help="0 picks a free port")
    parser.add_argument("--address", default="127.0.0.1")
    parser.add_argument("--clips", type=Path, required=True,
                        help="directory with <name>_main.h264 and <name>_sub.h264 clips")
    parser.add_argument("--cameras", type=int, default=120)
    parser.add_argument("--user", default="gvdemo", help="of the /secure mount")
    args = parser.parse_args()
    # of the /secure mount, from the environment (a command line is visible to `ps`); without
    # one, /secure takes no password at all: refuse everyone
    args.password = os.environ.get("GVCOMMAND_RTSP_SECURE_PASSWORD", "")

    Gst.init(None)
    mains = sorted(args.clips.glob("*_main.h264"))
    subs = sorted(args.clips.glob("*_sub.h264"))
    if not mains or not subs:
        print(f"no clips in {args.clips}", file=sys.stderr)
        return 2
    main_f = [LoopFactory(read_access_units(p)) for p in mains]
    sub_f = [LoopFactory(read_access_units(p)) for p in subs]

    server = GstRtspServer.RTSPServer()
    server.set_address(args.address)
    server.set_service(str(args.port))
    mounts = server.get_mount_points()
    for n in range(1, args.cameras + 1):
        mounts.add_factory(f"/cam{n:03d}", main_f[(n - 1) % len(main_f)])
        mounts.add_factory(f"/cam{n:03d}/sub", sub_f[(n - 1) % len(sub_f)])
    for path, factory in [*zip(mains, main_f, strict=True), *zip(subs, sub_f, strict=True)]:
        mounts.add_factory(f"/clip/{path.stem}", factory)
    secure = LoopFactory(read_access_units(subs[0]))
    mounts.add_factory("/secure", secure)
    mjpeg = GstRtspServer.RTSPMediaFactory()
    mjpeg.set_shared(True)
    # RTP/JPEG wants 4:2:0 and sizes in multiples of 8
    mjpeg.set_launch("( videotestsrc is-live=true pattern=ball ! video/x-raw,format=I420,"
                     "width=320,height=240,framerate=10/1 ! jpegenc "
                     "! rtpjpegpay name=pay0 pt=26 )")
    mounts.add_factory("/mjpeg", mjpeg)
    hevc = GstRtspServer.RTSPMediaFactory()
    hevc.set_shared(True)
    hevc.set_launch("( videotestsrc is-live=true pattern=smpte ! video/x-raw,format=I420,"
                    "width=320,height=180,framerate=10/1 ! x265enc speed-preset=ultrafast "
                    "tune=zerolatency key-int-max=5 ! h265parse config-interval=-1 "
                    "! rtph265pay name=pay0 pt=96 config-interval=-1 )")
    mounts.add_factory("/hevc", hevc)
    xgst = GstRtspServer.RTSPMediaFactory()
    xgst.set_shared(True)
    xgst.set_launch("( videotestsrc is-live=true pattern=ball ! video/x-raw,width=160,"
                    "height=120,framerate=5/1 ! rtpgstpay name=pay0 pt=96 )")
    mounts.add_factory("/x-gst", xgst)

    # authentication: anonymous clients get every mount but /secure, which wants the user
    auth = GstRtspServer.RTSPAuth()
    anonymous = GstRtspServer.RTSPToken()
    anonymous.set_string("media.factory.role", "anonymous")
    auth.set_default_token(anonymous)
    user = GstRtspServer.RTSPToken()
    user.set_string("media.factory.role", "user")
    if args.password:
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(args.user, args.password), user)
    server.set_auth(auth)
    # an anonymous client may see /secure but not construct it: that answers 401 with a
    # challenge (denied access would answer 404, as if the mount did not exist)
    for factory in {*main_f, *sub_f, mjpeg, hevc, xgst, secure}:
        for role in ("user", "anonymous"):
            construct = "false" if factory is secure and role == "anonymous" else "true"
            factory.add_role_from_structure(Gst.Structure.from_string(
                f"{role}, media.factory.access=(boolean)true, "
                f"media.factory.construct=(boolean){construct}")[0])

    if server.attach(None) == 0:
        print(f"cannot listen on {args.address}:{args.port}", file=sys.stderr)
        return 1
    loop = GLib.MainLoop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, sig, loop.quit)
    parent = os.getppid()

    def housekeeping() -> bool:
        server.get_session_pool().cleanup()  # sessions of clients gone without TEARDOWN
        if os.getppid() != parent:  # whoever started us died (a crashed console): go too
            loop.quit()
        return True

    GLib.timeout_add_seconds(2, housekeeping)
    print(f"READY {server.get_bound_port()}", flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
