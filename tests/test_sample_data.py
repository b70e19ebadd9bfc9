"""The committed sample data is exactly what its generator makes."""

import subprocess
import sys

from tests.conftest import SAMPLE


def test_regenerating_the_sample_data_gives_the_committed_files(tmp_path):
    subprocess.run(
        [sys.executable, str(SAMPLE / "generate.py"), str(tmp_path)],
        check=True,
        capture_output=True,
    )
    committed = sorted(p.relative_to(SAMPLE) for p in SAMPLE.rglob("*.csv"))
    made = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.csv"))
    assert made == committed
    for name in committed:
        assert (tmp_path / name).read_bytes() == (SAMPLE / name).read_bytes(), name
