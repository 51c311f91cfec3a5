"""bench/compare.py, the side-by-side comparison of two trees through gunicorn (issue 14): what it can check
without a server."""

import importlib
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _compare_module():
    # bench/ is a directory of scripts that import each other by name; it is on the path only for this import, so
    # its settings.py, urls.py and views.py never shadow a top-level module for the other tests.
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        return importlib.import_module("compare")
    finally:
        sys.path.remove(str(ROOT / "bench"))


_without_port = _compare_module()._without_port


def test_bodies_that_differ_only_in_the_servers_port_compare_equal():
    before = b'{"next": "http://127.0.0.1:50793/api/focal-points/?page=2&q=kowal", "count": 1132}'
    after = b'{"next": "http://127.0.0.1:46045/api/focal-points/?page=2&q=kowal", "count": 1132}'
    changed = b'{"next": "http://127.0.0.1:46045/api/focal-points/?page=2&q=kowal", "count": 1133}'

    assert _without_port(before) == _without_port(after)
    assert _without_port(before) != _without_port(changed)


def test_a_directory_that_is_not_a_tree_of_the_portal_is_refused_before_anything_starts(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "compare.py"), str(tmp_path), "--only", "focal points"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 1
    assert f"{tmp_path} is not a tree of the portal" in result.stderr
