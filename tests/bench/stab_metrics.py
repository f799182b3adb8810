#!/usr/bin/python3
"""weft's own stabilisation metrics: the three standard measures of the literature (Liu,
Yuan, Tan, Sun: "Bundled camera paths for video stabilization", SIGGRAPH 2013; used by
DIFRINT and later work), all "higher is better", 1 at best.

  cropping    mean over frames of the scale of the homography input -> output frame
              (sqrt |det| of its linear part, folded to <= 1: a zoom of 1.1 scores 0.91)
  distortion  worst frame's anisotropy of that homography's linear part (ratio of its
              two singular values: 1 = no shear or stretch)
  stability   share of the output camera path's spectrum in its lowest frequencies:
              components 1..5 (DC excluded) over all, of the accumulated translation (the
              mean of x and y) and of the rotation, the smaller of the two

Correspondences are Shi-Tomasi corners tracked by pyramidal Lucas-Kanade, both ways (a
track must come back within 1 px), and homographies are fitted with RANSAC (3 px).

usage: stab_metrics.py INPUT OUTPUT        prints one line: frames, cropping, distortion, stability
       stab_metrics.py --path OUTPUT       prints only the stability (no input needed)
Needs Debian's /usr/bin/python3 with numpy and cv2."""
import sys

import cv2
import numpy as np


def read_gray(path):
    cap = cv2.VideoCapture(path)
    frames = []
    while True:
        ok, frame = cap.read()
        if not ok:
            break
        frames.append(cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY))
    if not frames:
        sys.exit(f"stab_metrics: cannot read pictures from '{path}'")
    return frames


LK = dict(winSize=(21, 21), maxLevel=4,
          criteria=(cv2.TERM_CRITERIA_EPS | cv2.TERM_CRITERIA_COUNT, 30, 0.01))


def homography(a, b):
    """Homography mapping points of a to b, or None."""
    corners = cv2.goodFeaturesToTrack(a, maxCorners=1500, qualityLevel=0.005, minDistance=6,
                                      blockSize=5)
    if corners is None or len(corners) < 12:
        return None
    fwd, st1, _ = cv2.calcOpticalFlowPyrLK(a, b, corners, None, **LK)
    back, st2, _ = cv2.calcOpticalFlowPyrLK(b, a, fwd, None, **LK)
    good = (st1[:, 0] == 1) & (st2[:, 0] == 1) & \
        (np.linalg.norm((back - corners)[:, 0, :], axis=1) < 1.0)
    if good.sum() < 12:
        return None
    H, _ = cv2.findHomography(corners[good], fwd[good], cv2.RANSAC, 3.0)
    return H


def low_frequency_share(path):
    spectrum = np.abs(np.fft.fft(np.asarray(path, dtype=np.float64))) ** 2
    spectrum = spectrum[1:len(spectrum) // 2]
    total = spectrum.sum()
    return float(spectrum[:5].sum() / total) if total > 0 else 1.0


def stability(frames):
    x, y, angle = [0.0], [0.0], [0.0]
    for a, b in zip(frames, frames[1:]):
        H = homography(a, b)
        if H is None:
            H = np.eye(3)
        x.append(x[-1] + H[0, 2])
        y.append(y[-1] + H[1, 2])
        angle.append(angle[-1] + np.arctan2(H[1, 0], H[0, 0]))
    translation = 0.5 * (low_frequency_share(x) + low_frequency_share(y))
    return min(translation, low_frequency_share(angle))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--path':
        print(f"stability {stability(read_gray(sys.argv[2])):.3f}")
        return
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    source, result = read_gray(sys.argv[1]), read_gray(sys.argv[2])
    n = min(len(source), len(result))
    if n < 10:
        sys.exit("stab_metrics: fewer than 10 pictures")
    scales, anisotropy = [], []
    for a, b in zip(source[:n], result[:n]):
        if a.shape != b.shape:
            b = cv2.resize(b, (a.shape[1], a.shape[0]), interpolation=cv2.INTER_AREA)
        H = homography(a, b)
        if H is None:
            continue
        linear = H[:2, :2] / H[2, 2]
        singular = np.linalg.svd(linear, compute_uv=False)
        scale = np.sqrt(abs(np.linalg.det(linear)))
        scales.append(min(scale, 1.0 / max(scale, 1e-6)))
        anisotropy.append(singular[1] / singular[0])
    cropping = float(np.mean(scales)) if scales else 0.0
    distortion = float(np.min(anisotropy)) if anisotropy else 0.0
    print(f"frames {n}  cropping {cropping:.3f}  distortion {distortion:.3f}  "
          f"stability {stability(result[:n]):.3f}")


if __name__ == '__main__':
    main()
