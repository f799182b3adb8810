#!/usr/bin/python3
"""How far can any in-between made from a pair go on a shot? A bound for issue 7's colour-anime
target.

For every odd frame of a consecutive shot (SHOT/frame_NNNN.png), predicted from its two
neighbours, it prints the PSNR of the candidates a pair method can produce without knowing
the truth: hold the previous drawing, hold the next, the 50/50 blend, and weft's own
in-betweens (one column per --run). The last row is the per-frame *oracle*: the best
candidate chosen with the truth in hand, which no method can beat by choosing among them.

Animation drawn on twos makes the odd frame an exact copy of one neighbour (a hold); a pair
of frames cannot tell that from a drawing that moves on ones, so a pair method must hedge.
Comparing the oracle with a target says whether the target is reachable by choosing better
between holding, blending and warping, or needs information the pair does not hold.

usage: timing_oracle.py [SHOT_DIR] [--weft build/cli/weft] [--run NAME=ARGS ...]
  e.g. --run 'flow=--quality medium' --run 'anime=--quality medium --content anime'
  SHOT_DIR defaults to ../shared/data/anime_color/AoT_S4E4_shot1 beside the source tree
  (exit 77 when absent).
"""
import argparse
import os
import shlex
import subprocess
import sys
import tempfile

import cv2
import numpy as np


def psnr(a, b):
    mse = np.mean((a - b) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def load(path):
    img = cv2.imread(path, cv2.IMREAD_COLOR)
    if img is None:
        raise IOError(f'cannot read {path}')
    return img.astype(np.float64)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    default_shot = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..',
                                'shared', 'data', 'anime_color', 'AoT_S4E4_shot1')
    ap.add_argument('shot', nargs='?', default=default_shot)
    ap.add_argument('--weft', default='build/cli/weft')
    ap.add_argument('--run', action='append', default=[], metavar='NAME=ARGS')
    args = ap.parse_args()
    if not os.path.isdir(args.shot):
        print(f'SKIP: {args.shot} absent')
        sys.exit(77)
    frames = sorted(f for f in os.listdir(args.shot) if f.endswith('.png'))
    if len(frames) < 3:
        sys.exit(f'timing_oracle: {args.shot} holds fewer than 3 frames')
    runs = []
    for spec in args.run:
        name, _, extra = spec.partition('=')
        runs.append((name, shlex.split(extra)))
    names = ['prev', 'next', 'blend'] + [n for n, _ in runs]
    sums = dict.fromkeys(names + ['oracle'], 0.0)
    count = 0
    print('frame ' + ' '.join(f'{n:>7}' for n in names + ['oracle']))
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(1, len(frames) - 1, 2):
            pa = os.path.join(args.shot, frames[i - 1])
            pb = os.path.join(args.shot, frames[i + 1])
            a, truth, b = load(pa), load(os.path.join(args.shot, frames[i])), load(pb)
            row = {'prev': psnr(truth, a), 'next': psnr(truth, b),
                   'blend': psnr(truth, np.round((a + b) / 2))}
            for name, extra in runs:
                out = os.path.join(tmp, f'{name}.png')
                subprocess.run([args.weft, 'interpolate', pa, pb, '-t', '0.5', '-o', out,
                                '--device', 'cpu'] + extra, check=True)
                row[name] = psnr(truth, load(out))
            row['oracle'] = max(row.values())
            for n in sums:
                sums[n] += row[n]
            count += 1
            print(f'{i:5d} ' + ' '.join(f'{row[n]:7.2f}' for n in names + ['oracle']))
    print(' mean ' + ' '.join(f'{sums[n] / count:7.2f}' for n in names + ['oracle']))


if __name__ == '__main__':
    main()
