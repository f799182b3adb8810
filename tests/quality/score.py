#!/usr/bin/python3
"""Scores weft's in-betweens and flow on ../shared/data beside the peers, as a table.

usage: score.py [--weft PATH] [--quality fast|medium|high] [--device cpu|vulkan|auto]
                [--sets middlebury,ucf101,davis,sintel,epe] [--limit N]
                [--floor NAME=VALUE ...] [--measure-peers] [--speed PRESETS]

Runs ../shared/tools/vfi_score.py (PSNR at t = 0.5 against the ground-truth middle frame)
and ../shared/tools/flow_epe.py (average end-point error on the 8 Middlebury flows) on the
weft CLI, and prints one row per set: weft's figure, the peers' figures (quoted from
../shared/README.md, measured 2026-11-24, or measured now with --measure-peers for DIS)
and whether weft beats the best peer. --floor middlebury=34.5 (or epe=0.45, a ceiling for
EPE) makes the exit status 1 when weft misses it, so the script can be a test.
--speed fast,medium: also times one 1920x1080 in-between per preset (DAVIS car-roundabout
upscaled; C path, 2 threads) with the quality_speed program of the build.
Exit 77 (skip) when ../shared is absent; 1 when a command fails or a floor is missed.
"""
import argparse
import os
import re
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE = os.environ.get('WEFT_SOURCE') or os.path.normpath(os.path.join(HERE, '..', '..'))
SHARED = os.environ.get('WEFT_SHARED') or os.path.normpath(os.path.join(SOURCE, '..', 'shared'))
TOOLS = os.path.join(SHARED, 'tools')

# Peer figures from ../shared/README.md (mean PSNR in dB; EPE in px).
PEERS = {
    'middlebury': {'blend': 28.01, 'minterpolate': 33.00, 'DIS': 34.11},
    'ucf101': {'blend': 33.72, 'minterpolate': 35.06, 'DIS': 35.80},
    'davis': {'blend': 20.92, 'minterpolate': 22.41, 'DIS': 25.63},
    'sintel': {'blend': 22.17, 'minterpolate': 27.5, 'DIS': 28.01},
    'epe': {'Farneback': 1.206, 'DIS': 0.606},
}
# The floors (PSNR) and ceiling (EPE).
TARGETS = {'middlebury': 34.5, 'ucf101': 35.8, 'davis': 27.0, 'sintel': 28.3, 'epe': 0.45}


def run_tool(args):
    r = subprocess.run(args, capture_output=True, text=True)
    return r.returncode, r.stdout + r.stderr


def score_set(name, cmd, limit):
    args = ['/usr/bin/python3', os.path.join(TOOLS, 'vfi_score.py'), name, cmd]
    if limit:
        args += ['--limit', str(limit)]
    rc, out = run_tool(args)
    m = re.search(r'mean PSNR over (\d+): ([0-9.]+)', out)
    if rc != 0 or not m:
        sys.stderr.write(out)
        return None, 0
    return float(m.group(2)), int(m.group(1))


def score_epe(cmd):
    rc, out = run_tool(['/usr/bin/python3', os.path.join(TOOLS, 'flow_epe.py'), cmd])
    m = re.search(r'mean EPE over (\d+): ([0-9.]+)', out)
    if rc != 0 or not m:
        sys.stderr.write(out)
        return None, 0
    return float(m.group(2)), int(m.group(1))


def run_speed(opts):
    import tempfile
    import cv2
    speed = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(opts.weft))),
                         'tests', 'quality', 'quality_speed')
    if not os.access(speed, os.X_OK):
        print(f'error: {speed} not built')
        return 1
    status = 0
    with tempfile.TemporaryDirectory() as tmp:
        frames = []
        for k, name in enumerate(('frame0', 'frame2')):
            img = cv2.imread(os.path.join(SHARED, 'data', 'davis', 'car-roundabout',
                                          name + '.png'))
            img = cv2.resize(img, (1920, 1080), interpolation=cv2.INTER_CUBIC)
            path = os.path.join(tmp, f'{k}.ppm')
            cv2.imwrite(path, img)
            frames.append(path)
        for preset in opts.speed.split(','):
            runs = '3' if preset == 'fast' else '1'
            rc, out = run_tool([speed, frames[0], frames[1], preset, '2', runs])
            print('speed: ' + out.strip())
            status |= rc != 0
    return status


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    build = os.environ.get('WEFT_BUILD') or os.path.join(SOURCE, 'build')
    ap.add_argument('--weft', default=os.path.join(build, 'cli', 'weft'))
    ap.add_argument('--quality', default='medium')
    ap.add_argument('--device', default='cpu')
    ap.add_argument('--sets', default='middlebury,ucf101,davis,sintel,epe')
    ap.add_argument('--limit', type=int, default=0, help='first N triplets of each set')
    ap.add_argument('--floor', action='append', default=[], metavar='NAME=VALUE')
    ap.add_argument('--measure-peers', action='store_true',
                    help='measure OpenCV DIS now instead of quoting it')
    ap.add_argument('--speed', default='', metavar='PRESETS',
                    help='comma-separated presets to time at 1080p')
    opts = ap.parse_args()

    if not os.path.isdir(os.path.join(SHARED, 'data')) or not os.path.isdir(TOOLS):
        print(f'skip: {SHARED} (test data and scoring tools) is absent')
        return 77
    if not os.access(opts.weft, os.X_OK):
        print(f'error: weft CLI not found at {opts.weft} (build it, or pass --weft)')
        return 1
    floors = {}
    for f in opts.floor:
        k, _, v = f.partition('=')
        floors[k] = float(v)

    interp = f'{opts.weft} interpolate {{a}} {{b}} -t {{t}} -o {{out}} --device {opts.device} ' \
             f'--quality {opts.quality}'
    flow = f'{opts.weft} flow {{a}} {{b}} -o {{out}} --device {opts.device} ' \
           f'--quality {opts.quality}'
    print(f'weft quality={opts.quality} device={opts.device}'
          + (f' (first {opts.limit} of each set)' if opts.limit else ''))
    header = f'{"set":<12}{"n":>4}{"weft":>9}{"blend":>8}{"minterp":>9}{"DIS":>8}' \
             f'{"target":>8}  {"time":>7}  verdict'
    print(header)
    print('-' * len(header))
    status = 0
    for name in opts.sets.split(','):
        t0 = time.time()
        peers = dict(PEERS.get(name, {}))
        if name == 'epe':
            value, n = score_epe(flow)
            if opts.measure_peers:
                peers['DIS'] = score_epe('/usr/bin/python3 ' + os.path.join(
                    TOOLS, 'peer_dis_flow.py') + ' dis {a} {b} {out}')[0]
        else:
            value, n = score_set(name, interp, opts.limit)
            if opts.measure_peers:
                peers['DIS'] = score_set(name, '/usr/bin/python3 ' + os.path.join(
                    TOOLS, 'peer_dis.py') + ' {a} {b} {t} {out}', opts.limit)[0]
        elapsed = time.time() - t0
        if value is None:
            print(f'{name:<12}  FAILED')
            status = 1
            continue
        lower_better = name == 'epe'
        best_peer = (min if lower_better else max)(v for v in peers.values() if v is not None)
        beats = value < best_peer if lower_better else value > best_peer
        target = TARGETS.get(name)
        meets = target is None or (value <= target if lower_better else value >= target)
        verdict = ('beats best peer' if beats else 'below best peer') + \
                  ('' if meets else ', misses target')
        if opts.limit and name != 'epe':
            verdict = 'subset: peers and target are whole-set figures' + \
                      ('' if not opts.measure_peers else ' (DIS measured on the subset)')
        fmt = (lambda v: '-' if v is None else f'{v:.3f}') if lower_better else \
              (lambda v: '-' if v is None else f'{v:.2f}')
        print(f'{name:<12}{n:>4}{fmt(value):>9}{fmt(peers.get("blend")):>8}'
              f'{fmt(peers.get("minterpolate", peers.get("Farneback"))):>9}'
              f'{fmt(peers.get("DIS")):>8}{fmt(target):>8}  {elapsed:6.0f}s  {verdict}')
        if name in floors:
            ok = value <= floors[name] if lower_better else value >= floors[name]
            if not ok:
                print(f'FAIL: {name} {value} misses the floor {floors[name]}')
                status = 1
        sys.stdout.flush()
    if opts.speed:
        status |= run_speed(opts)
    print('(epe row: minterp column = Farneback; PSNR in dB, EPE in px; peers quoted from '
          '../shared/README.md unless --measure-peers)')
    return status


if __name__ == '__main__':
    sys.exit(main())
