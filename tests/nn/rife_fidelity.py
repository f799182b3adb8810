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


def run_weft(args, model, a, b, t, out):
    cmd = [args.weft, 'interpolate', a, b, '-t', str(t), '-o', out, '--method', 'rife',
           '--model', model, '--device', args.device]
    return subprocess.run(cmd, capture_output=True, text=True)


def check_sizes(args, model, data, tmp):
    """Padding and cropping: any size gives what the padded picture gives, cropped."""
    failed = False
    src = [cv2.imread(os.path.join(data, 'middlebury', 'frames', 'Urban2', f))
           for f in ('frame10.png', 'frame11.png')]
    for size in args.sizes.split(','):
        w, h = (int(v) for v in size.split('x'))
        pw, ph = (w + 31) // 32 * 32, (h + 31) // 32 * 32
        names = []
        for k, img in enumerate(src):
            crop = img[:h, :w]
            padded = np.zeros((ph, pw, 3), np.uint8)
            padded[:h, :w] = crop
            names.append((os.path.join(tmp, 'c%d.png' % k), os.path.join(tmp, 'p%d.png' % k)))
            cv2.imwrite(names[-1][0], crop)
            cv2.imwrite(names[-1][1], padded)
        out_c, out_p = os.path.join(tmp, 'oc.png'), os.path.join(tmp, 'op.png')
        r1 = run_weft(args, model, names[0][0], names[1][0], 0.75, out_c)
        r2 = run_weft(args, model, names[0][1], names[1][1], 0.75, out_p)
        if r1.returncode or r2.returncode:
            print('FAIL size %s: weft exited %d/%d: %s %s' % (size, r1.returncode, r2.returncode,
                                                            r1.stderr.strip(), r2.stderr.strip()))
            failed = True
            continue
        a = cv2.imread(out_c)
        b = cv2.imread(out_p)[:h, :w]
        d = int(np.abs(a.astype(int) - b.astype(int)).max()) if a.shape == b.shape else 999
        # the C path is exact; Vulkan may round a value differently
        ok = d <= (0 if args.device == 'cpu' else 1)
        failed |= not ok
        print('%s size %s (padded %dx%d) t=0.75: max difference %d to the padded run' % (
            'ok  ' if ok else 'FAIL', size, pw, ph, d))
    one = os.path.join(tmp, 'one.png')
    cv2.imwrite(one, src[0][:1, :1])
    r = run_weft(args, model, one, one, 0.5, os.path.join(tmp, 'o1.png'))
    ok = r.returncode != 0 and 'at least' in r.stderr
    failed |= not ok
    print('%s size 1x1 refused: %s' % ('ok  ' if ok else 'FAIL', r.stderr.strip()))
    return failed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--weft', required=True)
    ap.add_argument('--convert', required=True)
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--sets', default='middlebury,ucf101,ucf101_t0.25')
    ap.add_argument('--limit', type=int, default=0, help='first N triplets per set (0: all)')
    ap.add_argument('--floor', type=float, default=50.0)
    ap.add_argument('--reference', default='rife-v4.6-synthetic')
    ap.add_argument('--sizes', default='',
                    help='also check odd sizes, e.g. 583x387,33x17: the result for a WxH crop '
                         'must equal the result for that crop zero-padded to the next '
                         'multiple of 32 and cropped back (t = 0.75); 1x1 must be refused')
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
        if args.sizes:
            failed |= check_sizes(args, model, data, tmp)
        for name in args.sets.split(',') if args.sets else []:
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
