#!/usr/bin/python3
"""Where weft's line-art in-betweens lose: the anime mode beside bounds made with the true
middle drawing. A bound for issue 7's line-art target.

usage: lineart_bounds.py [--weft PATH] [--set real|extracted] [--only PREFIX]

Hand-drawn in-betweens are not spaced evenly: an animator puts the middle drawing where the
timing wants it (ease, favour one key), not half way along the motion. A two-key
in-betweener at t = 0.5 must assume even spacing. Per triplet (../shared/data/lineart/SET)
this prints PSNR dB / chamfer px (tests/bench/line_metrics.py) against the true middle g:
  anime     weft interpolate key0 key2 -t 0.5 --content anime (what score.py scores);
  paper     a blank white page (the floor any drawing has to beat);
  motion    both keys backward-warped onto g by weft's flows from g (g -> 0, g -> 2),
            averaged: shows whether those flows find the true correspondence;
  even      g itself moved to even spacing: each pixel of g to the mid-point of where it
            sits in the two keys, x + (F_g0(x) + F_g2(x)) / 2 (inverted by fixed point,
            sampled nearest so lines stay crisp): the true drawing with perfect motion,
            timed linearly - what a crisp in-between from two keys can hope for;
and the median distance (px) between g's position and that mid-point (0 for even spacing).
When 'even' scores below a PSNR target while 'motion' is high, the target asks for the
spacing, which two keys do not hold; lines drawn crisp at the wrong place cost twice.
Exit 77 when ../shared is absent; 1 when a command fails.
"""
import argparse
import os
import sys
import tempfile

from davis_bounds import SHARED, SOURCE, read_flo, weft
import line_metrics


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--weft', default=os.path.join(SOURCE, 'build', 'cli', 'weft'))
    ap.add_argument('--set', default='real', choices=['real', 'extracted'])
    ap.add_argument('--quality', default='medium')
    ap.add_argument('--only', default='', help='triplets whose name starts with this')
    opts = ap.parse_args()
    root = os.path.join(SHARED, 'data', 'lineart', opts.set)
    if not os.path.isdir(root):
        print(f'skip: {root} (the line-art triplets) is absent')
        return 77
    if not os.access(opts.weft, os.X_OK):
        print(f'error: weft CLI not found at {opts.weft} (build it, or pass --weft)')
        return 1
    import numpy as np
    import cv2

    common = ['--device', 'cpu', '--quality', opts.quality]
    cols = ['anime', 'paper', 'motion', 'even']
    print(f'{"triplet":<26}{"offset":>7}' + ''.join(f'{c:>15}' for c in cols))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name in sorted(os.listdir(root)):
            f = [os.path.join(root, name, f'frame{k}.png') for k in range(3)]
            if not name.startswith(opts.only) or not all(map(os.path.isfile, f)):
                continue
            out = os.path.join(tmp, 'out.png')
            g0, g2 = os.path.join(tmp, 'g0.flo'), os.path.join(tmp, 'g2.flo')
            try:
                weft([opts.weft, 'interpolate', f[0], f[2], '-t', '0.5', '-o', out,
                      '--content', 'anime'] + common)
                weft([opts.weft, 'flow', f[1], f[0], '-o', g0] + common)
                weft([opts.weft, 'flow', f[1], f[2], '-o', g2] + common)
            except RuntimeError as e:
                print(f'error: {e}')
                return 1
            a, g, b = (line_metrics.load(p) for p in f)
            fg0, fg2 = read_flo(g0), read_flo(g2)
            h, w = g.shape[:2]
            xx, yy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))

            def sample(img, fx, fy):
                return cv2.remap(img, fx, fy, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)

            def as_u8(img):
                return np.clip(img + 0.5, 0, 255).astype(np.uint8)

            motion = (sample(a.astype(np.float32), xx + fg0[..., 0], yy + fg0[..., 1]) +
                      sample(b.astype(np.float32), xx + fg2[..., 0], yy + fg2[..., 1])) / 2
            # g moved by d = (F_g0 + F_g2) / 2: output y takes g at x with x + d(x) = y
            d = (fg0 + fg2) / 2
            px, py = xx - d[..., 0], yy - d[..., 1]
            for _ in range(8):
                dx = sample(d, px, py)
                px, py = xx - dx[..., 0], yy - dx[..., 1]
            # nearest: the drawing keeps its crisp lines, so what 'even' loses is placement
            # only (a bilinear half-pixel shift alone greys 1-px lines: -1 dB here)
            even = cv2.remap(g, np.rint(px).astype(np.float32), np.rint(py).astype(np.float32),
                             cv2.INTER_NEAREST, borderMode=cv2.BORDER_REPLICATE)
            pics = [line_metrics.load(out), np.full_like(g, 255), as_u8(motion), even]
            ms = [line_metrics.measure(p, g) for p in pics]
            offset = float(np.median(np.hypot(d[..., 0], d[..., 1])[line_metrics.line_map(g)]))
            rows.append([offset] + [v for m in ms for v in (m['psnr'], m['chamfer'])])
            print(f'{name:<26}{offset:>7.1f}' +
                  ''.join(f'{m["psnr"]:>8.2f}/{m["chamfer"]:<6.1f}' for m in ms))
            sys.stdout.flush()
    if not rows:
        print('error: no triplet matched')
        return 1
    m = np.mean(np.array(rows), axis=0)
    print(f'{"mean":<26}{m[0]:>7.1f}' +
          ''.join(f'{m[1 + 2 * i]:>8.2f}/{m[2 + 2 * i]:<6.1f}' for i in range(len(cols))))
    return 0


if __name__ == '__main__':
    sys.exit(main())
