"""The video engine's small parts: redaction, URL checks, ffmpeg failure classification,
the relay's command line, the clips and the RTSP capability detection."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from gvcommand.video._frames import fit
from gvcommand.video.clips import CLIPS, GOP, SIZES, clip_paths, ensure_clips
from gvcommand.video.engine import detect_rtsp_direct, redact
from gvcommand.video.player import check_url
from gvcommand.video.relay import (
    Failure,
    Relay,
    classify,
    container_for,
    display_size,
    relay_command,
)

from .._needs import unavailable


@pytest.mark.parametrize(("text", "expected"), [
    # the user name stays (it says which account failed), the password never
    ("rtsp://admin:Pa55@10.0.0.5:554/Streaming/Channels/101",
     "rtsp://admin:***@10.0.0.5:554/Streaming/Channels/101"),
    ("ffmpeg -i rtsp://u:p@h/x -f mpegts pipe:1", "ffmpeg -i rtsp://u:***@h/x -f mpegts pipe:1"),
    ("[tcp] rtsp://u:p@h/x': Server returned 401", "[tcp] rtsp://u:***@h/x': Server returned 401"),
    ("http://cam/cgi?user=admin&password=s3cret&ch=1", "http://cam/cgi?user=admin&password=***&ch=1"),
    ("rtsp://10.0.0.5/cam/realmonitor?channel=1&subtype=0",
     "rtsp://10.0.0.5/cam/realmonitor?channel=1&subtype=0"),
    ("two: rtsp://a:b@h1/ and http://c:d@h2/", "two: rtsp://a:***@h1/ and http://c:***@h2/"),
])
def test_redact_hides_userinfo_and_password_parameters(text: str, expected: str) -> None:
    assert redact(text) == expected


@pytest.mark.parametrize(("url", "problem"), [
    ("rtsp://127.0.0.1:8554/cam001", None),
    ("rtsp://admin:x@cam.local/Streaming/Channels/101", None),
    ("https://cam/live.m3u8", None),
    ("file:///tmp/clip.mp4", None),
    ("", "empty or contains spaces"),
    ("rtsp://h/a b", "empty or contains spaces"),
    ("rtsp://", "no host"),
    ("rtsp://h:99999/x", "invalid host or port"),
    ("rtsp://h:abc/x", "invalid host or port"),
    ("gopher://h/x", "unsupported scheme 'gopher'"),
    ("cam001", "unsupported scheme '(none)'"),
])
def test_check_url(url: str, problem: str | None) -> None:
    assert check_url(url) == problem


def test_check_url_never_quotes_the_url() -> None:
    problem = check_url("rtsp://admin:S3cret@h:99999/x")
    assert problem is not None and "S3cret" not in problem


@pytest.mark.parametrize(("line", "failure"), [
    ("[rtsp @ 0x1] method DESCRIBE failed: 401 Unauthorized", Failure.AUTHENTICATION),
    ("rtsp://***@h/x: Server returned 401 Unauthorized (authorization failed)",
     Failure.AUTHENTICATION),
    ("[rtsp @ 0x1] method DESCRIBE failed: 404 Not Found", Failure.NOT_FOUND),
    ("rtsp://127.0.0.1:1/x: Connection refused", Failure.UNREACHABLE),
    ("rtsp://10.9.9.9/x: Connection timed out", Failure.UNREACHABLE),
    ("rtsp://nohost.invalid/x: Name or service not known", Failure.UNREACHABLE),
    ("Could not write header for output file #0 (incorrect codec parameters ?)",
     Failure.UNSUPPORTED_CODEC),
    ("frame=  100 fps= 25", None),
    # numbers in a quoted URL are not status codes
    ("rtsp://127.0.0.1:33401/cam001/sub: Connection refused", Failure.UNREACHABLE),
    ("rtsp://***@10.0.0.9/Streaming/Channels/401: Connection timed out", Failure.UNREACHABLE),
    ("rtsp://10.0.0.9:40404/x: End of file", None),
])
def test_classify_ffmpeg_stderr(line: str, failure: Failure | None) -> None:
    assert classify([line]) is failure


def test_display_size_from_ffmpeg_stream_lines() -> None:
    line = ("  Stream #0:0: Video: h264 (Constrained Baseline), yuv420p(progressive), "
            "640x360 [SAR 1:1 DAR 16:9], 25 fps, 25 tbr, 90k tbn")
    assert display_size(line) == (640, 360)
    d1 = "  Stream #0:0: Video: h264 (Main), yuv420p, 704x576 [SAR 12:11 DAR 4:3], 25 fps"
    assert display_size(d1) == (768, 576)  # non-square pixels, widened
    assert display_size("  Stream #0:0: Data: none") is None
    assert fit((640, 360), (480, 270)) == (480, 270)
    assert fit((1280, 720), (400, 400)) == (400, 224)
    assert fit((640, 360), (1920, 1080)) is None  # never scaled up


def test_codecs_mpegts_cannot_carry_are_relayed_in_nut() -> None:
    assert container_for("h264") == container_for("hevc") == container_for(None) == "mpegts"
    assert container_for("mjpeg") == "nut"
    cmd = relay_command("ffmpeg", "rtsp://h/x", container="nut")
    assert cmd[cmd.index("-f") + 1] == "nut"
    assert classify(["Stream map '0:v:0' matches no streams."]) is Failure.UNSUPPORTED_CODEC


def test_relay_command_copies_video_over_tcp_into_mpegts() -> None:
    cmd = relay_command("ffmpeg", "rtsp://u:p@h/x")
    assert cmd[cmd.index("-rtsp_transport") + 1] == "tcp"
    assert cmd[cmd.index("-c:v") + 1] == "copy" and "-an" in cmd
    assert cmd[cmd.index("-f") + 1] == "mpegts" and cmd[-1] == "pipe:1"
    relay = Relay("ffmpeg", "rtsp://u:Pw-9@h/x", "rtsp://u:***@h/x", on_end=lambda _e: None)
    assert "Pw-9" not in relay.logged_command and "rtsp://u:***@h/x" in relay.logged_command


def test_relay_end_reason_of_an_ffmpeg_that_could_not_start(tmp_path: object) -> None:
    relay = Relay("ffmpeg", "rtsp://u:p@h/x", "x", on_end=lambda _e: None)
    relay.lines.extend(["Input #0, rtsp, from 'rtsp://***@h/x':", "  Metadata:",
                        "    title           : Session streamed with GStreamer",
                        "rtsp://***@h/x: Connection refused"])
    end = relay.end_reason(1)
    assert end.failure is Failure.UNREACHABLE
    assert end.detail.startswith("camera unreachable; ffmpeg exited with code 1")
    assert end.detail.endswith("Connection refused")


def test_a_thin_sdp_asks_for_probing_next_time() -> None:
    assert relay_command("ffmpeg", "rtsp://h/x")[relay_command("ffmpeg", "rtsp://h/x").index(
        "-probesize") + 1] == "32"
    probing = relay_command("ffmpeg", "rtsp://h/x", probe=True)
    assert int(probing[probing.index("-probesize") + 1]) >= 100_000
    relay = Relay("ffmpeg", "rtsp://h/x", "x", on_end=lambda _e: None)
    relay.lines.append("[rtsp @ 0x1] Could not find codec parameters for stream 0 (Video: "
                       "h264, none): unspecified size")
    assert relay.end_reason(1).needs_probe
    relay.lines.clear()
    relay.lines.append("rtsp://h/x: Connection refused")
    assert not relay.end_reason(1).needs_probe


def test_relay_end_after_a_stream_is_stream_ended() -> None:
    relay = Relay("ffmpeg", "rtsp://h/x", "x", on_end=lambda _e: None)
    relay.codec = "h264"
    assert relay.end_reason(0).failure is Failure.STREAM_ENDED
    relay.codec = "mjpeg"
    assert relay.end_reason(0).failure is Failure.UNSUPPORTED_CODEC
    assert "(mjpeg)" in relay.end_reason(0).detail


def test_rtsp_capability_can_be_forced(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GVCOMMAND_VIDEO_RELAY", "always")
    assert detect_rtsp_direct() is False
    monkeypatch.setenv("GVCOMMAND_VIDEO_RELAY", "never")
    assert detect_rtsp_direct() is True


def test_clips_are_short_h264_with_a_keyframe_every_half_second() -> None:
    if shutil.which("ffprobe") is None:
        unavailable("ffprobe (ffmpeg) is not installed")
    paths = ensure_clips()  # made at setup: already there, so this is quick
    assert paths == clip_paths() and len(paths) == len(CLIPS) * len(SIZES)
    for path in paths:
        kind = path.stem.rsplit("_", 1)[1]
        out = subprocess.run(
            ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
             "stream=codec_name,width,height,r_frame_rate,profile:frame=key_frame",
             "-of", "json", str(path)], capture_output=True, check=True, text=True).stdout
        info = json.loads(out)
        stream = info["streams"][0]
        assert stream["codec_name"] == "h264"
        assert (stream["width"], stream["height"]) == SIZES[kind][:2]
        assert stream["r_frame_rate"] == "25/1"
        assert "Baseline" in stream["profile"]
        keys = [i for i, f in enumerate(info["frames"]) if f["key_frame"]]
        assert keys[0] == 0 and max(b - a for a, b in itertools.pairwise(keys)) <= GOP
        assert len(info["frames"]) >= 100  # a few seconds at 25 fps
        assert path.stat().st_size < 1_000_000


def test_ensure_clips_is_idempotent(tmp_path: object, monkeypatch: pytest.MonkeyPatch) -> None:
    from pathlib import Path

    d = Path(str(tmp_path))
    for p in clip_paths(d):
        p.write_bytes(b"x")  # present: kept as is, ffmpeg not even needed
    monkeypatch.setenv("PATH", "/nonexistent")
    assert ensure_clips(d) == clip_paths(d)
    assert all(p.read_bytes() == b"x" for p in clip_paths(d))


def _fake_ffmpeg(folder: Path, script: str) -> None:
    """An `ffmpeg` first on PATH that runs ``script`` (sh) with the output file as $out."""
    exe = folder / "ffmpeg"
    exe.write_text(f'#!/bin/sh\nfor out; do :; done\n{script}\n')
    exe.chmod(0o755)


def test_clips_are_written_under_names_of_their_own_then_renamed(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two processes making the clips at once (two test runs, setup.sh) never write into the
    same file; nothing but whole clips is left in the directory."""
    bin_dir, d = tmp_path / "bin", tmp_path / "clips"
    bin_dir.mkdir()
    written = tmp_path / "written.txt"
    _fake_ffmpeg(bin_dir, f'echo "$out" >> {written}\nprintf clip > "$out"')
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    assert ensure_clips(d) == clip_paths(d)
    outs = [Path(line) for line in written.read_text().split()]
    assert len(outs) == len(set(outs)) == len(clip_paths(d))
    for out, final in zip(outs, clip_paths(d), strict=True):
        assert out.parent == d and out != final and out.name != f"{final.stem}.tmp"
        assert out.name.startswith(f".{final.stem}.") and out.name.endswith(".tmp")
    assert sorted(d.iterdir()) == sorted(clip_paths(d))
    assert all(p.read_bytes() == b"clip" for p in clip_paths(d))


def test_a_clip_that_fails_leaves_nothing_behind(tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir, d = tmp_path / "bin", tmp_path / "clips"
    bin_dir.mkdir()
    _fake_ffmpeg(bin_dir, 'printf half > "$out"; exit 1')
    monkeypatch.setenv("PATH", f"{bin_dir}:/usr/bin:/bin")
    with pytest.raises(subprocess.CalledProcessError):
        ensure_clips(d)
    assert list(d.iterdir()) == []


def test_the_clips_recipe_names_how_they_are_made(monkeypatch: pytest.MonkeyPatch) -> None:
    from gvcommand.video import clips

    before = clips.recipe()
    assert before == clips.recipe() and len(before) == 12
    monkeypatch.setattr(clips, "GOP", clips.GOP * 2)  # other clips: another recipe
    assert clips.recipe() != before
