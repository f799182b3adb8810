#!/usr/bin/python3
"""Scores weft's in-betweens and flow on ../shared/data beside the peers, as a table.

usage: score.py [--weft PATH] [--quality fast|medium|high] [--device cpu|vulkan|auto]
                [--sets middlebury,ucf101,davis,sintel,epe,lineart,lineart-extracted,anime]
                [--limit N] [--floor NAME=VALUE ...] [--measure-peers] [--speed PRESETS]
                [--variants blend,flow,anime]

Runs ../shared/tools/vfi_score.py (PSNR at t = 0.5 against the ground-truth middle frame)
and ../shared/tools/flow_epe.py (average end-point error on the 8 Middlebury flows) on the
weft CLI, and prints one row per set: weft's figure, the peers' figures (quoted from
../shared/README.md, measured 2026-11-24, or measured now with --measure-peers for DIS)
and whether weft beats the best peer. --floor middlebury=34.5 (or epe=0.45, a ceiling for
EPE) makes the exit status 1 when weft misses it, so the script can be a test.
--speed fast,medium: also times one 1920x1080 in-between per preset (DAVIS car-roundabout
upscaled; C path, 2 threads) with the quality_speed program of the build.
Line-art and anime sets (lineart = lineart/real, 16; lineart-extracted, 32; anime =
anime_color/AoT_S4E4_shot1, each odd frame from its neighbours, 13) are scored here with
tests/bench/line_metrics.py, one row per variant (--variants: blend = weft --method blend,
flow = weft's default, anime = flow with --content anime): PSNR, SSIM, chamfer distance
between line maps, darkness of the ground truth's lines in our picture, and the share of
matched line pixels drawn lighter than half their ink. Floors: lineart=23.0 (PSNR of the
anime variant), lineart-chamfer=X (a ceiling for it).
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
# Sets scored with the line metrics (issue 7), their peers' PSNR from ../shared/README.md,
# and the PSNR targets of the anime variant.
LINE_SETS = ('lineart', 'lineart-extracted', 'anime')
PEERS.update({
    'lineart': {'blend': 20.39, 'minterpolate': 21.68, 'DIS': 21.79},
    'lineart-extracted': {'blend': 20.08, 'minterpolate': 21.52, 'DIS': 21.89},
    'anime': {'blend': 31.17, 'minterpolate': 30.62, 'DIS': 30.48},
})
TARGETS.update({'lineart': 23.0, 'anime': 32.0})
VARIANT_OPTIONS = {'blend': '--method blend', 'flow': '', 'anime': '--content anime'}


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


def line_triplets(name):
    """(name, first, last, truth) of a line-art or anime set."""
    data = os.path.join(SHARED, 'data')
    if name in ('lineart', 'lineart-extracted'):
        base = os.path.join(data, 'lineart', 'real' if name == 'lineart' else 'extracted')
        for t in sorted(os.listdir(base)):
            p = os.path.join(base, t)
            if os.path.isfile(os.path.join(p, 'frame1.png')):
                yield t, *(os.path.join(p, f'frame{k}.png') for k in (0, 2, 1))
    else:
        shot = os.path.join(data, 'anime_color', 'AoT_S4E4_shot1')
        frames = sorted(f for f in os.listdir(shot) if f.startswith('frame_'))
        for i in range(1, len(frames) - 1, 2):
            yield (frames[i][:-4], *(os.path.join(shot, frames[k]) for k in (i - 1, i + 1, i)))


def score_line_set(name, cmd, limit):
    """Mean line metrics of one command over a set; None when a command fails."""
    import tempfile
    sys.path.insert(0, os.path.join(SOURCE, 'tests', 'bench'))
    import line_metrics
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for k, (n, a, b, truth) in enumerate(line_triplets(name)):
            if limit and k >= limit:
                break
            out = os.path.join(tmp, f'{k}.png')
            r = subprocess.run(cmd.format(a=a, b=b, t='0.5', out=out), shell=True,
                               capture_output=True, text=True)
            if r.returncode != 0:
                sys.stderr.write(f'{name}/{n}: {r.stdout}{r.stderr}')
                return None, 0
            m = line_metrics.measure(line_metrics.load(out), line_metrics.load(truth))
            if os.environ.get('WEFT_SCORE_VERBOSE'):
                print(f'  {n}: ' + ' '.join(f'{k}={v:.3f}' for k, v in m.items()))
            rows.append(m)
    if not rows:
        return None, 0
    return {k: sum(r[k] for r in rows) / len(rows) for k in rows[0]}, len(rows)


def print_line_set(name, opts, interp, floors):
    """Rows per variant for a line-art or anime set; returns the exit status."""
    status = 0
    peers = PEERS[name]
    target = TARGETS.get(name)
    print(f'{name}: peers PSNR blend {peers["blend"]:.2f}, minterpolate '
          f'{peers["minterpolate"]:.2f}, DIS {peers["DIS"]:.2f}; target (anime) '
          + ('-' if target is None else f'{target:.2f}'))
    head = f'  {"variant":<8}{"n":>4}{"PSNR":>8}{"SSIM":>8}{"chamfer":>9}{"dark":>7}' \
           f'{"truth":>7}{"light%":>8}  {"time":>6}'
    print(head)
    for variant in opts.variants.split(','):
        t0 = time.time()
        m, n = score_line_set(name, f'{interp} {VARIANT_OPTIONS[variant]}', opts.limit)
        if m is None:
            print(f'  {variant:<8}  FAILED')
            status = 1
            continue
        print(f'  {variant:<8}{n:>4}{m["psnr"]:>8.2f}{m["ssim"]:>8.4f}{m["chamfer"]:>9.3f}'
              f'{m["darkness"]:>7.1f}{m["truth_darkness"]:>7.1f}'
              f'{100 * m["matched_light"]:>8.2f}  {time.time() - t0:5.0f}s')
        sys.stdout.flush()
        if variant == 'anime':
            if name in floors and m['psnr'] < floors[name]:
                print(f'FAIL: {name} PSNR {m["psnr"]:.3f} misses the floor {floors[name]}')
                status = 1
            key = name + '-chamfer'
            if key in floors and m['chamfer'] > floors[key]:
                print(f'FAIL: {name} chamfer {m["chamfer"]:.3f} above {floors[key]}')
                status = 1
    return status


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
    ap.add_argument('--variants', default='blend,flow,anime',
                    help='line-art/anime sets: blend, flow, anime (flow + --content anime)')
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
        if name in LINE_SETS:
            status |= print_line_set(name, opts, interp, floors)
            continue
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
