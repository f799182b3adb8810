#!/usr/bin/python3
"""Line-art measures of an in-between against its ground truth, so ghosting shows as a number.

A picture's *ink* is how far a pixel is from white paper: 255 - min(R, G, B) (grey: 255 - v).
It counts black lines and coloured trace lines alike (a red 1-px trace has ink 255), and a
ghost (a line blended half-way with white) has about half its ink.

- line map: pixels with ink >= LINE_INK (half of full ink);
- chamfer: symmetric chamfer distance in pixels between the line maps of our in-between and
  of the ground truth: the mean distance from each of our line pixels to the nearest
  ground-truth line pixel, averaged with the same the other way (doubled or misplaced lines
  raise it; a missing map counts as the picture's diagonal);
- darkness: mean intensity (255 - ink) of our picture at the ground-truth line pixels, beside
  the ground truth's own (lower is darker; a 50/50 ghost sits half way to white);
- matched_light: the share of ground-truth line pixels that our picture matches (a line pixel
  of ours within MATCH_RADIUS) but draws lighter than half the ground truth's ink there -
  the 'lines crisp' criterion of issue 7;
- psnr (8-bit, all channels) and ssim (Wang et al. 2004: 11x11 Gaussian window, sigma 1.5,
  on the mean of the channels).

usage as a program: line_metrics.py OURS.png TRUTH.png  (prints the measures)
"""
import sys

import cv2
import numpy as np

LINE_INK = 128
MATCH_RADIUS = 1.5


def load(path):
    """BGR uint8 from a file; alpha (line art on a transparent background) is flattened
    onto white, greyscale is kept as one channel."""
    img = cv2.imread(path, cv2.IMREAD_UNCHANGED)
    if img is None:
        raise IOError(f'cannot read {path}')
    if img.dtype != np.uint8:
        img = (img / 257).astype(np.uint8)
    if img.ndim == 3 and img.shape[2] == 4:
        alpha = img[:, :, 3:4].astype(np.float32) / 255
        img = (img[:, :, :3] * alpha + 255 * (1 - alpha) + 0.5).astype(np.uint8)
    return img


def ink(img):
    lowest = img if img.ndim == 2 else img.min(axis=2)
    return 255.0 - lowest.astype(np.float32)


def line_map(img):
    return ink(img) >= LINE_INK


def distance_to(lines):
    """Distance of every pixel to the nearest True pixel of `lines` (None if none)."""
    if not lines.any():
        return None
    return cv2.distanceTransform((~lines).astype(np.uint8), cv2.DIST_L2, 5)


def chamfer(ours_lines, truth_lines):
    diagonal = float(np.hypot(*ours_lines.shape))
    if not ours_lines.any() and not truth_lines.any():
        return 0.0
    to_truth, to_ours = distance_to(truth_lines), distance_to(ours_lines)
    a = diagonal if to_truth is None or not ours_lines.any() else float(to_truth[ours_lines].mean())
    b = diagonal if to_ours is None or not truth_lines.any() else float(to_ours[truth_lines].mean())
    return 0.5 * (a + b)


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def ssim(a, b):
    x = (a if a.ndim == 2 else a.mean(axis=2)).astype(np.float64)
    y = (b if b.ndim == 2 else b.mean(axis=2)).astype(np.float64)
    c1, c2 = (0.01 * 255) ** 2, (0.03 * 255) ** 2
    blur = lambda z: cv2.GaussianBlur(z, (11, 11), 1.5)
    mx, my = blur(x), blur(y)
    sxx, syy, sxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    s = ((2 * mx * my + c1) * (2 * sxy + c2)) / ((mx * mx + my * my + c1) * (sxx + syy + c2))
    return float(s.mean())


def measure(ours, truth):
    """Dict of psnr, ssim, chamfer, darkness, truth_darkness, matched_light for two pictures
    of the same size (uint8, grey or BGR; the channel counts may differ)."""
    if ours.shape[:2] != truth.shape[:2]:
        raise ValueError(f'size differs: {ours.shape} vs {truth.shape}')
    if ours.ndim != truth.ndim:
        ours = ours if ours.ndim == 3 else cv2.cvtColor(ours, cv2.COLOR_GRAY2BGR)
        truth = truth if truth.ndim == 3 else cv2.cvtColor(truth, cv2.COLOR_GRAY2BGR)
    ours_ink, truth_ink = ink(ours), ink(truth)
    ours_lines, truth_lines = ours_ink >= LINE_INK, truth_ink >= LINE_INK
    m = {'psnr': psnr(ours, truth), 'ssim': ssim(ours, truth),
         'chamfer': chamfer(ours_lines, truth_lines)}
    if truth_lines.any():
        m['darkness'] = float(255 - ours_ink[truth_lines].mean())
        m['truth_darkness'] = float(255 - truth_ink[truth_lines].mean())
        to_ours = distance_to(ours_lines)
        matched = truth_lines & (to_ours <= MATCH_RADIUS) if to_ours is not None else \
            np.zeros_like(truth_lines)
        # our ink at a matched pixel: the darkest of ours within the match radius
        near_ink = cv2.dilate(ours_ink, np.ones((3, 3), np.uint8))
        light = matched & (near_ink < 0.5 * truth_ink)
        m['matched_light'] = float(light.sum()) / float(max(1, matched.sum()))
    else:
        m['darkness'] = m['truth_darkness'] = float('nan')
        m['matched_light'] = 0.0
    return m


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    for k, v in measure(load(sys.argv[1]), load(sys.argv[2])).items():
        print(f'{k}: {v:.4f}')


if __name__ == '__main__':
    main()
