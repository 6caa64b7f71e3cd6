"""The ``k`` picker's list (issue 7 §2): every named kernel, then each conv preset's
kernel as its file writes it (read with ``json`` here); pools and broken files have none."""

from __future__ import annotations

import json

from eigenvue_tui.kernels import NAMED, choices
from eigenvue_tui.presets import builtin_dir, catalogue


def test_named_kernels_first_then_every_conv_preset(tmp_path):
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    entries = catalogue((tmp_path,))
    found = choices(entries)
    assert [c.name for c in found[: len(NAMED)]] == list(NAMED)
    assert all(c.source == "named" and c.kernel == NAMED[c.name] for c in found[: len(NAMED)])
    by_source = {c.source: c for c in found[len(NAMED):]}
    for path in builtin_dir().glob("*.json"):
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("op", "conv") == "conv":
            assert by_source[path.stem].kernel == data["kernel"], path.stem
        else:
            assert path.stem not in by_source
    assert "broken" not in by_source
    assert by_source["camera"].kernel == NAMED["edge"]  # a picture preset's default kernel
