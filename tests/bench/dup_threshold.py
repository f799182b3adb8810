#!/usr/bin/python3
"""The margin behind --dup-threshold: how far coding noise and new drawings lie from it.

usage: dup_threshold.py [--shot DIR] [--crf 18,28,35] [--block 16]

Writes the drawings of an anime shot (default ../shared/data/anime_color/AoT_S4E4_shot1)
on twos (each picture twice), codes the clip with x264 at each crf, decodes it, and prints
per crf the largest block score between the two copies of a drawing (coding noise: must
stay below the threshold) and the smallest between consecutive drawings (must stay above).
A pair's score is what weft's repeat test computes (lib/ops/block_diff.h): the largest mean
absolute luma difference (0..1) over the blocks of the picture. The whole-picture mean is
printed beside it to show why it is not used: a small change gives a tiny mean.
"""
import argparse
import glob
import os
import shutil
import subprocess
import sys
import tempfile

import cv2
import numpy as np


def block_max(a, b, block):
    d = np.abs(a - b)
    h, w = d.shape
    ph, pw = -h % block, -w % block
    # edge blocks average only their pixels inside the picture, as the op does
    sums = np.pad(d, ((0, ph), (0, pw))).reshape((h + ph) // block, block, (w + pw) // block,
                                                 block).sum(axis=(1, 3))
    counts = np.pad(np.ones_like(d), ((0, ph), (0, pw))).reshape(
        (h + ph) // block, block, (w + pw) // block, block).sum(axis=(1, 3))
    return float((sums / counts).max())


def main():
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared")
    parser = argparse.ArgumentParser()
    parser.add_argument("--shot", default=os.path.join(root, "data", "anime_color",
                                                       "AoT_S4E4_shot1"))
    parser.add_argument("--crf", default="18,28,35")
    parser.add_argument("--block", type=int, default=16)
    args = parser.parse_args()
    frames = sorted(glob.glob(os.path.join(args.shot, "*.png")))
    if not frames:
        print(f"no pictures in {args.shot} (../shared is absent?)")
        return 77
    work = tempfile.mkdtemp()
    try:
        for i, f in enumerate(frames):
            for copy in range(2):
                shutil.copy(f, os.path.join(work, f"{2 * i + copy:04d}.png"))
        print(f"{len(frames)} drawings on twos, {args.block}x{args.block} blocks")
        print("crf  repeats: largest block score  drawings: smallest block score  "
              "(smallest whole-picture mean)")
        for crf in args.crf.split(","):
            clip = os.path.join(work, f"crf{crf}.mp4")
            subprocess.run(["ffmpeg", "-v", "error", "-y", "-framerate", "24", "-i",
                            os.path.join(work, "%04d.png"), "-c:v", "libx264", "-crf", crf,
                            "-pix_fmt", "yuv420p", clip], check=True)
            cap = cv2.VideoCapture(clip)
            luma = []
            while True:
                ok, im = cap.read()
                if not ok:
                    break
                luma.append(cv2.cvtColor(im, cv2.COLOR_BGR2GRAY).astype(np.float64) / 255)
            repeats = [block_max(luma[i], luma[i + 1], args.block)
                       for i in range(0, len(luma) - 1, 2)]
            new = [block_max(luma[i], luma[i + 1], args.block)
                   for i in range(1, len(luma) - 1, 2)]
            means = [np.abs(luma[i] - luma[i + 1]).mean() for i in range(1, len(luma) - 1, 2)]
            print(f"{crf:>3}  {max(repeats):30.4f}  {min(new):31.4f}  ({min(means):.4f})")
    finally:
        shutil.rmtree(work)
    return 0


if __name__ == "__main__":
    sys.exit(main())
