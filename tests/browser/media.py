"""Test media for Chromium's fake camera and microphone, written by the tests themselves:
a small Y4M video (a moving gradient with a face-sized disc) and a WAV tone. Nothing is
downloaded."""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

WIDTH, HEIGHT, FRAMES = 320, 240, 12


def _frame(index: int) -> bytes:
    cx, cy, radius = WIDTH // 2 + (index % 6) * 4, HEIGHT // 2, 60
    luma = bytearray(WIDTH * HEIGHT)
    for y in range(HEIGHT):
        row = y * WIDTH
        for x in range(WIDTH):
            inside = (x - cx) ** 2 + (y - cy) ** 2 < radius * radius
            luma[row + x] = 200 if inside else (x + y + index * 8) % 160 + 40
    chroma = bytes([128]) * ((WIDTH // 2) * (HEIGHT // 2))
    return b"FRAME\n" + bytes(luma) + chroma + chroma


def write_y4m(path: Path) -> Path:
    header = f"YUV4MPEG2 W{WIDTH} H{HEIGHT} F10:1 Ip A1:1 C420jpeg\n".encode("ascii")
    path.write_bytes(header + b"".join(_frame(i) for i in range(FRAMES)))
    return path


def write_wav(path: Path, *, seconds: float = 2.0, rate: int = 48_000) -> Path:
    samples = (
        int(12_000 * math.sin(2 * math.pi * (220 + 40 * math.sin(t / rate * 3)) * t / rate))
        for t in range(int(seconds * rate))
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes(b"".join(struct.pack("<h", s) for s in samples))
    return path


def write_png(path: Path, *, width: int = 64, height: int = 48) -> Path:
    """A small grey PNG (for the file inputs that stand in for the camera)."""
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + bytes([(x * 4) % 256 for x in range(width)]) for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
    path.write_bytes(png + chunk(b"IEND", b""))
    return path
