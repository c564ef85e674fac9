"""The crawl command's guards: options that cannot work together, a Redis that cannot be used.
Each is one line on stderr and a non-zero exit, before any crawling starts."""

import pytest
from click.testing import CliRunner

from crawlers.cli import cli


def test_jobdir_and_redis_are_refused_together(tmp_path):
    result = CliRunner().invoke(cli, ["crawl", "--jobdir", str(tmp_path / "job"), "--redis", "redis://127.0.0.1:1/0"])
    assert result.exit_code == 2 and "do not combine" in result.output
    assert not (tmp_path / "job").exists()


@pytest.mark.parametrize("url, says", [("redis://127.0.0.1:1/0", "Connection refused"), ("http://nope", "scheme")])
def test_an_unusable_redis_is_one_clear_error(url, says):
    result = CliRunner().invoke(cli, ["crawl", "uk_hansard", "--redis", url])
    assert result.exit_code == 1 and f"cannot use Redis at {url}" in result.output and says in result.output
