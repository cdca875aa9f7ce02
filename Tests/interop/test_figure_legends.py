"""The figures nnprobe draws keep their data visible (issue 15, item 9), read back from the SVG
files with Python's XML parser, independently of NNPlot: no legend box covers a line, dot or bar
of its panel (the singular-value log panel, weight norms of an lr sweep, the PCA scree, learning
curves, summary and report figures); scatter plots coloured by an input carry a colour bar; a
dashed series is dashed in its legend entry."""
import math
import re
import xml.etree.ElementTree as ET

import pytest

from conftest import run

SVG = "{http://www.w3.org/2000/svg}"


def path_geometry(d):
    """Line pieces and circles of a path written by NNPlot (M L H V Z h v, and `a` for dots)."""
    tokens = re.findall(r"[A-Za-z]|-?[0-9.]+(?:e-?[0-9]+)?", d)
    segments, circles, boxes = [], [], []
    x = y = 0.0
    start, first, i = (0.0, 0.0), 0, 0

    def number():
        nonlocal i
        i += 1
        return float(tokens[i - 1])

    while i < len(tokens):
        command = tokens[i]
        i += 1
        if command == "M":
            x, y = number(), number()
            start, first = (x, y), len(segments)
        elif command == "L":
            a, b = number(), number()
            segments.append((x, y, a, b))
            x, y = a, b
        elif command in "Hh":
            a = number() + (x if command == "h" else 0)
            segments.append((x, y, a, y))
            x = a
        elif command in "Vv":
            b = number() + (y if command == "v" else 0)
            segments.append((x, y, x, b))
            y = b
        elif command == "Z":
            segments.append((x, y, *start))
            x, y = start
            xs = [v for s in segments[first:] for v in (s[0], s[2])]
            ys = [v for s in segments[first:] for v in (s[1], s[3])]
            boxes.append((min(xs), min(ys), max(xs), max(ys)))
        elif command == "a":
            r = number()
            for _ in range(4):
                number()
            dx, dy = number(), number()
            if dx > 0:
                circles.append((x + dx / 2, y + dy / 2, r))
            x, y = x + dx, y + dy
        else:
            raise AssertionError(f"unknown path command {command} in {d[:80]}")
    return segments, circles, boxes


def panels(svg_text):
    """(data drawn, legend box or None) per panel: each `<g class="data">` and the legend after it."""
    root = ET.fromstring(svg_text)
    result = []
    for element in root.iter():
        if element.tag == f"{SVG}g" and element.get("class") == "data":
            segments, circles, boxes = [], [], []
            for path in element.iter(f"{SVG}path"):
                s, c, b = path_geometry(path.get("d"))
                segments += s
                circles += c
                if path.get("fill") != "none" and path.get("stroke") != "none":   # bars; unoutlined fills are background
                    boxes += b
            result.append({"segments": segments, "circles": circles, "boxes": boxes, "legend": None})
        elif element.tag == f"{SVG}g" and element.get("class") == "legend":
            rect = element.find(f"{SVG}rect")
            result[-1]["legend"] = tuple(float(rect.get(k)) for k in ("x", "y", "width", "height"))
    return result


def hidden(panel):
    """What the panel's legend box covers: line pieces sampled every half pixel, dots, bars."""
    if panel["legend"] is None:
        return []
    x, y, w, h = panel["legend"]
    inside = lambda px, py, pad=0: x - pad <= px <= x + w + pad and y - pad <= py <= y + h + pad
    found = []
    for x0, y0, x1, y1 in panel["segments"]:
        steps = max(1, math.ceil(math.hypot(x1 - x0, y1 - y0) * 2))
        if any(inside(x0 + (x1 - x0) * k / steps, y0 + (y1 - y0) * k / steps) for k in range(steps + 1)):
            found.append(("segment", x0, y0, x1, y1))
    found += [("dot", cx, cy) for cx, cy, r in panel["circles"] if inside(cx, cy, r)]
    found += [("bar", *b) for b in panel["boxes"] if b[0] <= x + w and b[2] >= x and b[1] <= y + h and b[3] >= y]
    return found


def check_legends(svg_text, name):
    drawn = panels(svg_text)
    assert drawn, f"{name}: no panels found"
    for k, panel in enumerate(drawn):
        assert not hidden(panel), f"{name}, panel {k}: the legend covers {hidden(panel)[:3]}"
    return drawn


@pytest.fixture(scope="module")
def lr_sweep(nnprobe, tmp_path_factory):
    directory = tmp_path_factory.mktemp("lr") / "sweep"
    run(nnprobe, "train", "mult", "--lr", "1,0.01,0.001", "--seeds", "0..2", "--epochs", "6", "--train-size", "500",
        "--save", str(directory))
    return directory


def test_analysis_figures_keep_their_data_visible(nnprobe, trained, lr_sweep, tmp_path):
    figures = {
        "svd": ["svd", trained["multimult"]],
        "pca": ["pca", trained["multimult"], "--vary", "task0"],
        "norms of an lr sweep": ["norms", str(lr_sweep)],
        "summary": ["summary", str(lr_sweep)],
        "train": ["train", "multi-mult", "--epochs", "3", "--no-dump", "--save", str(tmp_path / "c.h5")],
    }
    for name, args in figures.items():
        plot = tmp_path / f"{name.replace(' ', '-')}.svg"
        run(nnprobe, *args, "--plot", str(plot))
        drawn = check_legends(plot.read_text(), name)
        if name == "svd":
            assert drawn[1]["legend"] is not None, "the log panel has its legend"
        if name == "norms of an lr sweep":
            assert drawn[0]["boxes"] and drawn[0]["legend"] is not None


def test_report_figures_keep_their_data_visible(nnprobe, lr_sweep, tmp_path):
    page = tmp_path / "report.html"
    run(nnprobe, "report", str(lr_sweep), "--out", str(page))
    svgs = re.findall(r"<svg .*?</svg>", page.read_text(), re.S)
    assert len(svgs) >= 3
    for k, svg in enumerate(svgs):
        check_legends(svg, f"report figure {k + 1}")


def test_scatters_coloured_by_an_input_have_a_colour_bar(nnprobe, trained, tmp_path):
    plot = tmp_path / "pca.svg"
    run(nnprobe, "pca", trained["multimult"], "--vary", "task0", "--plot", str(plot))
    root = ET.fromstring(plot.read_text())
    bars = [g for g in root.iter(f"{SVG}g") if g.get("class") == "colorbar"]
    assert len(bars) == 2, "one colour bar per scatter panel (task0, task1)"
    for bar in bars:
        stops = [s.get("stop-color") for s in bar.iter(f"{SVG}stop")]
        assert stops[0] == "#440154" and stops[-1] == "#FDE725"     # viridis, dark to bright
        assert any(t.text and t.text.startswith("input") for t in bar.iter(f"{SVG}text"))


def test_dashed_validation_is_dashed_in_the_legend(nnprobe, tmp_path):
    plot = tmp_path / "curves.svg"
    run(nnprobe, "train", "mult", "--epochs", "3", "--no-dump", "--save", str(tmp_path / "m.h5"), "--plot", str(plot))
    root = ET.fromstring(plot.read_text())
    legend = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "legend")
    entries = list(legend)
    labels = [e.text for e in entries if e.tag == f"{SVG}text"]
    assert "validation" in labels and "train" in labels
    samples = [e for e in entries if e.tag == f"{SVG}path"]
    dashed = [p.get("stroke") for p in samples if p.get("stroke-dasharray")]
    # The legend's dashed sample has the validation curve's colour, and that curve is dashed in the plot.
    data = next(g for g in root.iter(f"{SVG}g") if g.get("class") == "data")
    assert dashed and all(any(p.get("stroke") == c and p.get("stroke-dasharray") for p in data.iter(f"{SVG}path")) for c in dashed)
