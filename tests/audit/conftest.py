import os
import sys

import pytest

sys.path.insert(0, os.path.dirname(__file__))
import audit_harness as h  # noqa: E402


@pytest.fixture(scope="session")
def built():
    """The fortress and performance kernels, normal and KTEST=1, built once."""
    for profile in ("fortress", "performance"):
        for ktest in (False, True):
            h.build(profile, ktest)
    return True
