"""A real browser for the integration tests: headless Chromium (the Debian package `chromium`,
installed by scripts/install-deps), and a PNG reader from the standard library to look at its
screenshots.

Without Chromium a test fails, as scripts/test installs it; a user who cannot install it sets
SHARDTAP_NO_BROWSER=1 and the tests that need it are skipped, saying so.
"""
import os
import shutil
import struct
import subprocess
import tempfile
import unittest
import zlib

NAMES = ("chromium", "chromium-browser")


def chromium():
    """The browser's path; skips the test when SHARDTAP_NO_BROWSER=1, fails when it is missing."""
    if os.environ.get("SHARDTAP_NO_BROWSER") == "1":
        raise unittest.SkipTest("SHARDTAP_NO_BROWSER=1: the page is not loaded in a browser")
    for name in NAMES:
        path = shutil.which(name)
        if path:
            return path
    raise AssertionError("headless Chromium is needed to check the HTML page and is not installed: "
                         "run scripts/install-deps (Debian package chromium), or set "
                         "SHARDTAP_NO_BROWSER=1 to skip these checks")


def run_chromium(*args, timeout=120):
    """Runs headless Chromium with a fresh profile and nothing that reaches the network on its
    own; returns its stdout."""
    with tempfile.TemporaryDirectory(prefix="shardtap-chromium-") as profile:
        command = [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                   "--no-first-run", "--disable-background-networking", "--disable-component-update",
                   "--disable-sync", f"--user-data-dir={profile}", *args]
        result = subprocess.run(command, capture_output=True, timeout=timeout)
    if result.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {result.returncode}:\n"
                             f"{result.stderr.decode(errors='replace')[-3000:]}")
    return result.stdout.decode()


def dump_dom(path):
    """The page's DOM after Chromium loaded it, as HTML text."""
    return run_chromium("--dump-dom", "file://" + os.path.abspath(path))


def screenshot(page, png, width=1200, height=900):
    run_chromium(f"--window-size={width},{height}", "--hide-scrollbars", f"--screenshot={png}",
                 "file://" + os.path.abspath(page))
    if not os.path.exists(png):
        raise AssertionError(f"Chromium wrote no screenshot to {png}")


def _paeth(a, b, c):
    p = a + b - c
    pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
    if pa <= pb and pa <= pc:
        return a
    return b if pb <= pc else c


def read_png(path):
    """(width, height, rows): rows of (r, g, b) tuples. 8-bit RGB or RGBA, not interlaced: what
    Chromium writes."""
    with open(path, "rb") as file:
        data = file.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise AssertionError(f"{path} is not a PNG file")
    chunks, at = {}, 8
    while at < len(data):
        length, kind = struct.unpack(">I4s", data[at:at + 8])
        chunks.setdefault(kind, []).append(data[at + 8:at + 8 + length])
        at += 12 + length
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", chunks[b"IHDR"][0])
    if depth != 8 or colour not in (2, 6) or interlace:
        raise AssertionError(f"{path}: PNG depth {depth}, colour type {colour}, interlace {interlace} "
                             "is not what this reader knows")
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1:start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                corner = previous[i - channels] if i >= channels else 0
                line[i] = (line[i] + _paeth(left, up, corner)) & 0xFF
        rows.append([tuple(line[x:x + 3]) for x in range(0, stride, channels)])
        previous = line
    return width, height, rows
