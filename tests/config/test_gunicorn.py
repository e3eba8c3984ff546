"""gunicorn's access and error logs redact respondent tokens (config/gunicorn.py)."""

import re
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from gunicorn.config import Config

from config.gunicorn import RedactingLogger

ROOT = Path(__file__).resolve().parents[2]
TIMESTAMP = re.compile(r"\[[^\]]+\]")


@pytest.fixture
def logs(tmp_path):
    cfg = Config()
    cfg.set("accesslog", str(tmp_path / "access.log"))
    cfg.set("errorlog", str(tmp_path / "error.log"))
    return cfg, tmp_path


def request(path: str, referer: str) -> tuple:
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": path,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_REFERER": referer,
        "HTTP_USER_AGENT": "Firefox",
    }
    req = SimpleNamespace(headers=[("REFERER", referer), ("USER-AGENT", "Firefox")])
    resp = SimpleNamespace(status="302 Found", sent=0, headers=[("Location", "/respond/")])
    return resp, req, environ


def access_lines(cfg, folder: Path, path: str, referer: str) -> list[str]:
    RedactingLogger(cfg).access(*request(path, referer), timedelta(milliseconds=12))
    return TIMESTAMP.sub("[…]", (folder / "access.log").read_text()).splitlines()


def test_access_log_redacts_the_request_line_and_the_referer(logs):
    cfg, folder = logs

    lines = access_lines(cfg, folder, "/r/dana-personal-link/", "https://x.example/r/old-link/")

    assert lines == [
        '192.0.2.7 - - […] "GET /r/…/ HTTP/1.1" 302 0 "https://x.example/r/…/" "Firefox"'
    ]


def test_access_log_redacts_every_atom_of_a_custom_format(logs):
    cfg, folder = logs
    cfg.set("access_log_format", "%(U)s %({referer}i)s %({raw_uri}e)s %({location}o)s")

    lines = access_lines(cfg, folder, "/r/dana-personal-link/", "https://x.example/r/a/")

    assert lines == ["/r/…/ https://x.example/r/…/ /r/…/ /respond/"]


def test_access_log_keeps_other_paths(logs):
    cfg, folder = logs

    lines = access_lines(cfg, folder, "/respond/pillar/data/", "https://x.example/respond/")

    assert lines == [
        '192.0.2.7 - - […] "GET /respond/pillar/data/ HTTP/1.1" 302 0 '
        '"https://x.example/respond/" "Firefox"'
    ]


def test_error_log_redacts_the_url_of_a_failed_request(logs):
    cfg, folder = logs

    RedactingLogger(cfg).error("Error handling request %s", "/r/dana-personal-link/answer/")

    [line] = (folder / "error.log").read_text().splitlines()
    assert line.endswith("] [ERROR] Error handling request /r/…/answer/")


def test_logger_set_up_again_on_reload_redacts_once(logs):
    cfg, _ = logs
    logger = RedactingLogger(cfg)

    logger.setup(cfg)

    assert len(logger.access_log.filters) == len(logger.error_log.filters) == 1


def test_config_file_chooses_the_redacting_logger():
    cfg = Config()
    for name, value in runpy.run_path(str(ROOT / "config" / "gunicorn.py")).items():
        if name in cfg.settings:
            cfg.set(name, value)

    assert cfg.logger_class.__name__ == "RedactingLogger"


def test_the_image_starts_gunicorn_with_the_config_file():
    command = next(
        line for line in (ROOT / "Dockerfile").read_text().splitlines() if line.startswith("CMD")
    )

    assert "gunicorn config.wsgi -c config/gunicorn.py " in command
