"""Short H.264 clips for the demo cameras and the video tests, generated with ffmpeg.

Each clip exists twice: `<name>_main.h264` (1280×720) and `<name>_sub.h264` (640×360), raw
Annex-B H.264, 25 fps, a keyframe every 12 frames (0.48 s: a camera switch shows its first
frame within half a second), constrained baseline, no B-frames, with the clip's name, its
resolution and a running timecode burnt in. They are generated, never committed: into
$GVCOMMAND_CLIPS_DIR or the user cache directory. Idempotent: a clip already there is kept.

    python -m gvcommand.video.clips [--dir DIR] [--force]
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import logging
import os
import secrets
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import platformdirs

log = logging.getLogger(__name__)

FPS = 25
GOP = 12
SECONDS = 6
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Bold.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
)


@dataclass(frozen=True)
class Clip:
    name: str
    source: str  # an ffmpeg lavfi source with its size and rate left to fill in
    label: str


CLIPS = (
    Clip("testsrc", "testsrc2=size={w}x{h}:rate={fps}", "GIAO LO A"),
    Clip("bars", "smptehdbars=size={w}x{h}:rate={fps}", "CONG TRUONG B"),
    Clip("mandel", "mandelbrot=size={w}x{h}:rate={fps}:maxiter=64", "DUONG C"),
    Clip("life", "life=size={w2}x{h2}:rate={fps}:mold=10:ratio=0.2:death_color=#203050,"
         "scale={w}:{h}:flags=neighbor", "HEM D"),
)
SIZES = {"main": (1280, 720, "1200k"), "sub": (640, 360, "600k")}


def clips_dir() -> Path:
    env = os.environ.get("GVCOMMAND_CLIPS_DIR")
    return Path(env) if env else Path(platformdirs.user_cache_dir("gvcommand")) / "clips"


def clip_paths(directory: Path | None = None) -> list[Path]:
    d = directory or clips_dir()
    return [d / f"{c.name}_{kind}.h264" for c in CLIPS for kind in SIZES]


def _font() -> str | None:
    return next((f for f in FONT_CANDIDATES if Path(f).exists()), None)


def _command(clip: Clip, kind: str, out: Path) -> list[str]:
    w, h, rate = SIZES[kind]
    source = clip.source.format(w=w, h=h, w2=w // 4, h2=h // 4, fps=FPS)
    if "scale=" in source:  # a small source scaled up: "life" is cheap at 1/4 size
        source, scale = source.split(",scale=", 1)
        vf = [f"scale={scale}"]
    else:
        vf = []
    font = _font()
    size = h // 14
    if font is not None:
        text = f"{clip.label}  {w}x{h}  %{{pts\\:hms}}"
        vf.append(f"drawtext=fontfile={font}:text='{text}':x={size}:y={size}:fontsize={size}:"
                  "fontcolor=white:box=1:boxcolor=black@0.6:boxborderw=6")
    cmd = ["ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
           "-f", "lavfi", "-i", source, "-t", str(SECONDS)]
    if vf:
        cmd += ["-vf", ",".join(vf)]
    cmd += ["-c:v", "libx264", "-preset", "veryfast", "-profile:v", "baseline",
            "-pix_fmt", "yuv420p", "-g", str(GOP), "-keyint_min", str(GOP),
            "-sc_threshold", "0", "-bf", "0", "-b:v", rate, "-maxrate", rate,
            "-bufsize", rate, "-f", "h264", str(out)]
    return cmd


def recipe() -> str:
    """A short digest of how the clips are made (their ffmpeg commands): clips cached under
    another recipe are other clips."""
    commands = [_command(c, kind, Path("clip")) for c in CLIPS for kind in SIZES]
    return hashlib.sha256(repr(commands).encode()).hexdigest()[:12]


def ensure_clips(directory: Path | None = None, *, force: bool = False) -> list[Path]:
    """Makes the clips that are missing (all with force); returns every clip's path."""
    d = directory or clips_dir()
    d.mkdir(parents=True, exist_ok=True)
    wanted = [(c, kind, d / f"{c.name}_{kind}.h264") for c in CLIPS for kind in SIZES]
    todo = [(c, k, p) for c, k, p in wanted if force or not p.exists() or p.stat().st_size == 0]
    if todo and shutil.which("ffmpeg") is None:
        raise RuntimeError("ffmpeg is not installed: cannot make the video clips "
                           "(scripts/setup.sh installs it)")
    for clip, kind, path in todo:
        t0 = time.perf_counter()
        # a name of its own in the same directory: two processes making the same clip at once
        # (two test runs, a test run and setup.sh) never write into one file, and the
        # rename is atomic, so a clip under its final name is always a whole one
        tmp = d / f".{path.stem}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
        try:
            subprocess.run(_command(clip, kind, tmp), check=True,
                           stdin=subprocess.DEVNULL, capture_output=True)
            os.replace(tmp, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                tmp.unlink()
        log.info("made clip %s (%d kB, %.1f s)", path.name, path.stat().st_size // 1024,
                 time.perf_counter() - t0)
    return [p for _, _, p in wanted]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gvcommand.video.clips",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--dir", type=Path, default=None, help=f"default {clips_dir()}")
    parser.add_argument("--force", action="store_true", help="make them again")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    try:
        paths = ensure_clips(args.dir, force=args.force)
    except (RuntimeError, subprocess.CalledProcessError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        print(f"clips: {exc} {detail.decode(errors='replace')}".strip(), file=sys.stderr)
        return 1
    print(f"{len(paths)} clips in {paths[0].parent}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
