#!/usr/bin/python3
"""weft inbetween on real line art with a transparent background (issue 7's acceptance).

usage: inbetween_alpha.py [--weft PATH] [NAME ...]   (names of ../shared/data/lineart/real)

Each key drawing (flattened on white in the data set) is turned back into line art on a
transparent background: the line's colour at full strength, its coverage in alpha (exactly
un-compositing from white, checked by compositing again). For every spacing mode,
`weft inbetween KEY1 KEY2` must write N pictures that keep alpha; the middle one of `even`
(t = 0.5) is compared with the true middle drawing by tests/bench/line_metrics.py: PSNR,
SSIM, chamfer, darkness, and matched_light (share of matched line pixels lighter than half
their ink: 0 = lines crisp). Exit 77 without ../shared, 1 on a failure.
"""
import argparse
import os
import subprocess
import sys
import tempfile

import cv2
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.path.normpath(os.path.join(HERE, '..', '..'))
SHARED = os.environ.get('WEFT_SHARED') or os.path.join(SOURCE, '..', 'shared')
sys.path.insert(0, HERE)
import line_metrics  # noqa: E402

SPACINGS = (('even', 3), ('ease-in', 3), ('ease-out', 3), ('ease', 3), ('favor:0.3', 3),
            ('t:0.2,0.5,0.8', 0))


def to_transparent(path, out):
    img = cv2.imread(path).astype(np.float64)
    ink = 255 - img.min(axis=2)
    rgb = 255 - (255 - img) * 255 / np.maximum(ink, 1)[..., None]
    cv2.imwrite(out, np.dstack([np.clip(rgb, 0, 255), ink]).round().astype(np.uint8))
    if np.abs(line_metrics.load(out).astype(int) - img).max() > 2:
        raise ValueError(f'{path}: un-compositing does not round-trip')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--weft', default=os.path.join(SOURCE, 'build', 'cli', 'weft'))
    ap.add_argument('names', nargs='*', default=['jostc_clean2_012', 'jostc_rough21_012',
                                                  'pbc_smoke_explosion_11',
                                                  'pbc_laughing_girl_012'])
    opts = ap.parse_args()
    base = os.path.join(SHARED, 'data', 'lineart', 'real')
    if not os.path.isdir(base):
        print(f'skip: {base} is absent')
        return 77
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        for name in opts.names:
            keys = []
            for k in (0, 2):
                keys.append(os.path.join(tmp, f'{name}_{k}.png'))
                to_transparent(os.path.join(base, name, f'frame{k}.png'), keys[-1])
            for spec, n in SPACINGS:
                pattern = os.path.join(tmp, f'{name}_out_%02d.png')
                args = [opts.weft, 'inbetween', *keys, '-o', pattern, '--spacing', spec]
                r = subprocess.run(args + (['-n', str(n)] if n else []), capture_output=True,
                                   text=True)
                outs = [pattern % k for k in range(1, 4)]
                ok = r.returncode == 0 and all(os.path.isfile(o) for o in outs)
                alpha = ok and all(cv2.imread(o, cv2.IMREAD_UNCHANGED).shape[2] == 4
                                   for o in outs)
                line = f'{name} {spec}: {"3 pictures" if ok else "FAILED " + r.stderr.strip()}'
                line += ', alpha kept' if alpha else ', alpha LOST'
                if ok and spec == 'even':
                    m = line_metrics.measure(line_metrics.load(outs[1]), line_metrics.load(
                        os.path.join(base, name, 'frame1.png')))
                    line += '; t=0.5 vs truth: ' + ' '.join(f'{k} {v:.3f}' for k, v in m.items())
                    ok = m['matched_light'] == 0.0
                print(line, flush=True)
                status |= not (ok and alpha)
                for o in outs:
                    if os.path.isfile(o):
                        os.remove(o)
    return status


if __name__ == '__main__':
    sys.exit(main())
