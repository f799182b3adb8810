#!/usr/bin/env python3
"""Fidelity of weft's RIFE runtime to the reference implementation (rife-ncnn-vulkan).

Converts ../shared/models/rife-v4.6-synthetic (the real RIFE v4.6 graph with synthetic
weights) with weft-convert, runs `weft interpolate --method rife` on each triplet of the
chosen sets and compares with the reference outputs in
../shared/data/reference/rife-v4.6-synthetic/<set>/<name>.png: PSNR on the 8-bit RGB
pictures, which must reach --floor dB on every image.

  rife_fidelity.py --weft build/cli/weft --convert build/models/weft-convert \
      --device cpu --sets middlebury,ucf101,ucf101_t0.25 [--limit N] [--floor 50]

Exit 77 (skipped) when ../shared (WEFT_SHARED) is absent.
"""
import argparse
import os
import subprocess
import sys
import tempfile

try:
    import cv2
    import numpy as np
except ImportError:
    print('SKIP: python3-numpy / python3-opencv missing (scripts/setup installs them)')
    sys.exit(77)


def triplets(data, name):
    """(key, frame A, frame B, t) per triplet; key names the reference picture."""
    out = []
    if name == 'middlebury':
        for seq in sorted(os.listdir(os.path.join(data, 'middlebury', 'frames'))):
            f = os.path.join(data, 'middlebury', 'frames', seq)
            out.append((seq, os.path.join(f, 'frame10.png'), os.path.join(f, 'frame11.png')))
    elif name in ('ucf101', 'ucf101_t0.25', 'davis', 'lineart', 'lineart/extracted'):
        src = {'ucf101_t0.25': 'ucf101', 'lineart': 'lineart/real'}.get(name, name)
        base = os.path.join(data, src)
        for t in sorted(os.listdir(base), key=lambda s: (len(s), s)):
            if os.path.isdir(os.path.join(base, t)):
                out.append((t, os.path.join(base, t, 'frame0.png'),
                            os.path.join(base, t, 'frame2.png')))
    elif name in ('sintel', 'anime_color'):
        for seq in sorted(os.listdir(os.path.join(data, name))):
            d = os.path.join(data, name, seq)
            fr = sorted(f for f in os.listdir(d) if f.endswith('.png'))
            for i in range(1, len(fr) - 1):
                out.append(('%s_%s' % (seq, fr[i][:-4]), os.path.join(d, fr[i - 1]),
                            os.path.join(d, fr[i + 1])))
    t = 0.25 if name == 'ucf101_t0.25' else 0.5
    return [(k, a, b, t) for k, a, b in out]


def psnr(a, b):
    mse = np.mean((a.astype(np.float64) - b.astype(np.float64)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255.0 ** 2 / mse)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--weft', required=True)
    ap.add_argument('--convert', required=True)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--sets', default='middlebury,ucf101,ucf101_t0.25')
    ap.add_argument('--limit', type=int, default=0, help='first N triplets per set (0: all)')
    ap.add_argument('--floor', type=float, default=50.0)
    ap.add_argument('--reference', default='rife-v4.6-synthetic')
    args = ap.parse_args()

    shared = os.environ.get('WEFT_SHARED', os.path.join(os.path.dirname(__file__), '..', '..',
                                                        '..', 'shared'))
    model_dir = os.path.join(shared, 'models', 'rife-v4.6-synthetic')
    data = os.path.join(shared, 'data')
    refroot = os.path.join(data, 'reference', args.reference)
    if not os.path.isdir(model_dir) or not os.path.isdir(refroot):
        print('SKIP: %s or %s absent (../shared is not here)' % (model_dir, refroot))
        return 77
    if args.device != 'cpu':
        probe = subprocess.run([args.weft, 'interpolate', '--help'], capture_output=True)
        if probe.returncode != 0:
            return 1
    failed = False
    with tempfile.TemporaryDirectory(prefix='weft-rife-') as tmp:
        model = os.path.join(tmp, 'rife-v4.6-synthetic.weft')
        r = subprocess.run([args.convert, model_dir, '-o', model], capture_output=True, text=True)
        if r.returncode != 0:
            print('FAIL: weft-convert: ' + r.stderr.strip())
            return 1
        for name in args.sets.split(','):
            refdir = os.path.join(refroot, name)
            if not os.path.isdir(refdir):
                print('FAIL: no reference outputs for set %s' % name)
                failed = True
                continue
            items = [x for x in triplets(data, name)
                     if os.path.exists(os.path.join(refdir, x[0] + '.png'))]
            if args.limit:
                items = items[:args.limit]
            scores = []
            for key, a, b, t in items:
                out = os.path.join(tmp, 'out.png')
                cmd = [args.weft, 'interpolate', a, b, '-t', str(t), '-o', out, '--method', 'rife',
                       '--model', model, '--device', args.device]
                r = subprocess.run(cmd, capture_output=True, text=True)
                if r.returncode != 0:
                    if 'no usable Vulkan' in r.stderr or 'not available' in r.stderr:
                        print('SKIP: no Vulkan device: ' + r.stderr.strip())
                        return 77
                    print('FAIL %s/%s: weft exited %d: %s' % (name, key, r.returncode,
                                                              r.stderr.strip()))
                    failed = True
                    continue
                ours = cv2.imread(out, cv2.IMREAD_COLOR)
                ref = cv2.imread(os.path.join(refdir, key + '.png'), cv2.IMREAD_COLOR)
                if ours is None or ref is None or ours.shape != ref.shape:
                    print('FAIL %s/%s: missing output or size mismatch' % (name, key))
                    failed = True
                    continue
                p = psnr(ours, ref)
                scores.append(p)
                mark = 'ok  ' if p >= args.floor else 'FAIL'
                failed |= p < args.floor
                print('%s %s/%s %dx%d t=%g: %.2f dB (max diff %d)' % (
                    mark, name, key, ref.shape[1], ref.shape[0], t, p,
                    int(np.abs(ours.astype(int) - ref.astype(int)).max())))
                sys.stdout.flush()
            if scores:
                print('SET %s (%s, %d images): min %.2f dB, mean %.2f dB' % (
                    name, args.device, len(scores), min(scores), sum(scores) / len(scores)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
