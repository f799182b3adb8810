#!/usr/bin/python3
"""Where weft's in-betweens lose on DAVIS: its PSNR beside bounds made with the true middle frame.

usage: davis_bounds.py [--weft PATH] [--quality fast|medium|high] [--only PREFIX]

DAVIS (../shared/data/davis) has hand-held camera shake and fast articulated motion, so the
middle frame is often not where linear motion from frame 0 to frame 2 puts it. Per triplet
this prints, in dB against the ground-truth middle frame g:
  weft         weft interpolate frame0 frame2 -t 0.5 (what tests/quality/score.py scores);
  motion       frames 0 and 2 backward-warped to g by weft's flows from g (g -> 0, g -> 2),
               averaged: the true motion, non-linear part included;
  linear       the same with the best linear fit of those flows through each pixel of g
               (u = (F_g0 - F_g2) / 2 towards frame 0, -u towards frame 2): perfect flow for
               any method that assumes linear motion, as every t = 0.5 interpolator from two
               frames must;
  linear+side  linear, keeping per pixel the warped side nearer to g (perfect occlusion
               reasoning; an upper bound no method reaches);
and the median of |F_g0 + F_g2| (px; 0 for linear motion). The gap weft -> linear is what
better flow can still give; linear -> linear+side is what occlusion handling can give;
linear -> motion is out of reach of a two-frame interpolator.
Flows and warps are whole-image; bicubic warps with replicated borders.
Exit 77 when ../shared is absent; 1 when a command fails.
"""
import argparse
import os
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, '..', '..'))
SHARED = os.environ.get('WEFT_SHARED') or os.path.normpath(os.path.join(SOURCE, '..', 'shared'))
DAVIS = os.path.join(SHARED, 'data', 'davis')


def read_flo(path):
    import numpy as np
    with open(path, 'rb') as f:
        magic = np.frombuffer(f.read(4), np.float32)[0]
        w, h = np.frombuffer(f.read(8), np.int32)
        if magic != np.float32(202021.25):
            raise ValueError(f'{path}: not a .flo file')
        return np.frombuffer(f.read(), np.float32).reshape(h, w, 2)


def psnr(a, b):
    import numpy as np
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def weft(args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(' '.join(args) + ': ' + r.stderr.strip())


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--weft', default=os.path.join(SOURCE, 'build', 'cli', 'weft'))
    ap.add_argument('--quality', default='medium')
    ap.add_argument('--only', default='', help='sequences whose name starts with this')
    opts = ap.parse_args()
    if not os.path.isdir(DAVIS):
        print(f'skip: {DAVIS} (the DAVIS triplets) is absent')
        return 77
    if not os.access(opts.weft, os.X_OK):
        print(f'error: weft CLI not found at {opts.weft} (build it, or pass --weft)')
        return 1
    import numpy as np
    import cv2

    common = ['--device', 'cpu', '--quality', opts.quality]
    rows = []
    print(f'{"sequence":<16}{"|Fg0+Fg2|":>10}{"weft":>8}{"motion":>8}{"linear":>8}'
          f'{"lin+side":>10}')
    with tempfile.TemporaryDirectory() as tmp:
        for seq in sorted(os.listdir(DAVIS)):
            if not seq.startswith(opts.only):
                continue
            f = [os.path.join(DAVIS, seq, f'frame{k}.png') for k in range(3)]
            out = os.path.join(tmp, 'out.png')
            g0, g2 = os.path.join(tmp, 'g0.flo'), os.path.join(tmp, 'g2.flo')
            try:
                weft([opts.weft, 'interpolate', f[0], f[2], '-t', '0.5', '-o', out] + common)
                weft([opts.weft, 'flow', f[1], f[0], '-o', g0] + common)
                weft([opts.weft, 'flow', f[1], f[2], '-o', g2] + common)
            except RuntimeError as e:
                print(f'error: {e}')
                return 1
            a, g, b = (cv2.imread(p).astype(np.float32) for p in f)
            fg0, fg2 = read_flo(g0), read_flo(g2)
            h, w = g.shape[:2]
            xx, yy = np.meshgrid(np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32))

            def warp(img, fl):
                return cv2.remap(img, xx + fl[..., 0], yy + fl[..., 1], cv2.INTER_CUBIC,
                                 borderMode=cv2.BORDER_REPLICATE)

            lin = (fg0 - fg2) / 2
            wa, wb = warp(a, lin), warp(b, -lin)
            nearer_a = ((wa - g) ** 2).mean(2) < ((wb - g) ** 2).mean(2)
            row = [np.median(np.hypot(*(fg0 + fg2).transpose(2, 0, 1))),
                   psnr(cv2.imread(out), g),
                   psnr(np.clip((warp(a, fg0) + warp(b, fg2)) / 2, 0, 255), g),
                   psnr(np.clip((wa + wb) / 2, 0, 255), g),
                   psnr(np.clip(np.where(nearer_a[..., None], wa, wb), 0, 255), g)]
            rows.append(row)
            print(f'{seq:<16}{row[0]:>10.2f}' + ''.join(f'{v:>8.2f}' for v in row[1:4]) +
                  f'{row[4]:>10.2f}')
            sys.stdout.flush()
    if not rows:
        print('error: no sequence matched')
        return 1
    m = np.mean(np.array(rows), axis=0)
    print(f'{"mean":<16}{m[0]:>10.2f}' + ''.join(f'{v:>8.2f}' for v in m[1:4]) + f'{m[4]:>10.2f}')
    return 0


if __name__ == '__main__':
    sys.exit(main())
