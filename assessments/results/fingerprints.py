"""Fingerprints: what a cached result rests on, as one digest."""

import hashlib
import json
from pathlib import Path

from .. import scoring


def _scoring_code_version() -> str:
    """A digest of the scoring package's source: a deploy that changes how figures are made
    leaves no cached live figure behind."""
    package = Path(scoring.__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(package.glob("*.py")):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


SCORING_CODE_VERSION = _scoring_code_version()


def digest(*parts: object) -> str:
    """The SHA-256 of the parts as canonical JSON (dates and decimals as strings)."""
    text = json.dumps(parts, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()
