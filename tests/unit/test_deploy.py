"""What a council's IT team deploys with: the Dockerfile, .dockerignore, compose.yaml, the
systemd unit in deploy/ and .env.example, read as files and checked for the promises the
deployment notes make (a non-root image that migrates before serving, no secret built in,
every setting named). One test builds the image, where a Docker daemon answers."""

from __future__ import annotations

import fnmatch
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SECRETS = ("SLACK_BOT_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_APP_TOKEN")
# Read by the code; QPR_RETAIN_YEARS is listed as well as found, so that it is asked for
# whichever module comes to read it.
SETTINGS = {
    *SECRETS,
    "SLACK_API_URL",
    "DATABASE_URL",
    "QPR_TIMEZONE",
    "QPR_FY_START_MONTH",
    "PORT",
    "QPR_RETAIN_YEARS",
}


# The Dockerfile, as instructions ----------------------------------------------------------


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order: continuation lines joined, comments left out."""
    joined: list[str] = []
    pending = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue  # a comment, even inside a continued instruction, is not part of it
        if line.endswith("\\"):
            pending += line[:-1].rstrip() + " "
            continue
        joined.append(pending + line)
        pending = ""
    if pending.strip():
        joined.append(pending)  # a last line left continued
    found = []
    for whole in joined:
        keyword, *arguments = whole.split(None, 1)
        found.append((keyword.upper(), "".join(arguments).strip()))
    return found


def in_final_stage(steps: list[tuple[str, str]], wanted: str) -> str | None:
    """The arguments of the last `wanted` instruction after the last FROM, if any."""
    starts = [i for i, (keyword, _) in enumerate(steps) if keyword == "FROM"]
    found = [arguments for keyword, arguments in steps[starts[-1] :] if keyword == wanted]
    return found[-1] if found else None


@pytest.fixture(scope="module")
def dockerfile() -> list[tuple[str, str]]:
    return instructions((ROOT / "Dockerfile").read_text())


def test_the_parser_joins_continued_lines_and_skips_comments():
    steps = instructions("# a\nFROM x AS y\nRUN a \\\n  # b\n  && c\nUSER 1\n")
    assert steps == [("FROM", "x AS y"), ("RUN", "a && c"), ("USER", "1")]


def test_the_image_is_built_in_one_stage_and_run_from_another(dockerfile):
    assert sum(keyword == "FROM" for keyword, _ in dockerfile) > 1


def test_the_bot_does_not_run_as_root_in_its_container(dockerfile):
    user = in_final_stage(dockerfile, "USER")
    assert user, "the final stage sets no USER, so the bot would run as root"
    assert user.split(":")[0] not in ("root", "0")


def test_the_container_runs_qpr_serve_unless_told_otherwise(dockerfile):
    assert json.loads(in_final_stage(dockerfile, "ENTRYPOINT") or "null") == ["qpr"]
    assert json.loads(in_final_stage(dockerfile, "CMD") or "null") == ["serve"]


def test_docker_asks_the_bot_its_health(dockerfile):
    assert "/healthz" in (in_final_stage(dockerfile, "HEALTHCHECK") or "")


def test_no_slack_secret_is_built_into_the_image(dockerfile):
    for keyword, arguments in dockerfile:
        if keyword in ("ENV", "ARG"):
            assert not any(name in arguments for name in SECRETS), f"{keyword} {arguments}"


def test_no_env_file_is_copied_into_the_image(dockerfile):
    for keyword, arguments in dockerfile:
        if keyword in ("COPY", "ADD"):
            sources = [word for word in arguments.split() if not word.startswith("--")][:-1]
            assert not any(Path(source).name.startswith(".env") for source in sources)


# .dockerignore ----------------------------------------------------------------------------


def ignored(path: str, patterns: list[str]) -> bool:
    """Whether Docker leaves `path` out of the build context: the last matching line wins,
    and a folder left out takes what is inside it along."""
    parts = path.split("/")
    candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    verdict = False
    for pattern in patterns:
        keep = pattern.startswith("!")
        glob = pattern.lstrip("!").strip("/")
        if glob.startswith("**/"):
            matches = any(
                fnmatch.fnmatchcase(c, glob) or fnmatch.fnmatchcase(c, glob[3:]) for c in candidates
            )
        else:
            matches = any(fnmatch.fnmatchcase(c, glob) for c in candidates)
        if matches:
            verdict = not keep
    return verdict


@pytest.fixture(scope="module")
def dockerignore() -> list[str]:
    lines = (ROOT / ".dockerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_ignored_follows_the_last_matching_line():
    assert ignored(".venv/bin/python", [".venv/"])
    assert not ignored(".env.example", [".env.*", "!.env.example"])
    assert not ignored("bot/app.py", [".venv/"])


@pytest.mark.parametrize(
    "path", [".env", ".venv/bin/python", ".git/HEAD", "qpr.sqlite3", "bot/__pycache__/x.pyc"]
)
def test_secrets_and_local_clutter_never_reach_the_builder(dockerignore, path):
    assert ignored(path, dockerignore)


@pytest.mark.parametrize("path", ["pyproject.toml", "README.md", "bot/cli/main.py"])
def test_what_the_wheel_is_built_from_reaches_the_builder(dockerignore, path):
    assert not ignored(path, dockerignore)


# compose.yaml -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def conditions(service: dict) -> dict[str, str]:
    needs = service.get("depends_on", {})
    return {name: (needs[name] or {}).get("condition", "") for name in needs}


def test_the_database_says_when_it_is_ready(compose):
    check = compose["services"]["db"]["healthcheck"]
    assert "pg_isready" in " ".join(check["test"])
    assert check.get("interval") and check.get("retries")


def test_the_database_keeps_its_data_in_a_named_volume(compose):
    mounts = compose["services"]["db"]["volumes"]
    names = {str(mount).split(":")[0] for mount in mounts}
    assert names & set(compose.get("volumes") or {}), "no volume declared at the top level"


def test_the_schema_is_migrated_once_the_database_is_ready(compose):
    migrate = compose["services"]["migrate"]
    assert migrate["command"] == ["db", "upgrade"]
    assert conditions(migrate)["db"] == "service_healthy"
    assert migrate.get("restart") == "no"


@pytest.mark.parametrize("name", ["bot", "bot2"])
def test_the_bot_starts_only_after_the_migration_has_succeeded(compose, name):
    bot = compose["services"][name]
    assert conditions(bot) == {
        "db": "service_healthy",
        "migrate": "service_completed_successfully",
    }
    assert bot["env_file"] in (".env", [".env"])
    assert bot["restart"] in ("unless-stopped", "always", "on-failure")
    assert "@db:5432/" in bot["environment"]["DATABASE_URL"]


def test_the_second_instance_appears_only_when_asked_for(compose):
    assert compose["services"]["bot2"]["profiles"] == ["two"]
    assert compose["services"]["bot"]["ports"] != compose["services"]["bot2"]["ports"]


def test_every_service_of_the_bot_runs_the_same_image(compose):
    built = {
        name: (service.get("build"), service.get("image"))
        for name, service in compose["services"].items()
        if service.get("build") or str(service.get("image", "")).startswith("qpr")
    }
    assert set(built) == {"migrate", "bot", "bot2"}
    assert len(set(built.values())) == 1, built


# The systemd unit -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def unit() -> dict[str, list[str]]:
    # Lines rather than configparser: a key may be given more than once.
    found: dict[str, list[str]] = {}
    for raw in (ROOT / "deploy" / "qpr-bot.service").read_text().splitlines():
        line = raw.strip()
        if line and not line.startswith(("#", ";", "[")):
            key, _, value = line.partition("=")
            found.setdefault(key.strip(), []).append(value.strip())
    return found


def test_systemd_restarts_the_bot_when_it_fails(unit):
    assert unit["Restart"] == ["on-failure"]


def test_systemd_runs_the_bot_as_its_own_user_with_its_settings_file(unit):
    assert unit["User"][-1] not in ("root", "0")
    assert unit["EnvironmentFile"][-1].lstrip("-").startswith("/")


def test_systemd_migrates_the_database_before_serving(unit):
    assert any(re.search(r"/qpr db upgrade$", command) for command in unit["ExecStartPre"])
    assert re.search(r"/qpr serve$", unit["ExecStart"][-1])


def test_systemd_waits_longer_than_the_bot_takes_to_stop(unit):
    assert int(unit["TimeoutStopSec"][-1]) > 10


# .env.example -----------------------------------------------------------------------------


def test_every_setting_the_bot_reads_is_in_env_example():
    config = (ROOT / "bot" / "base" / "config.py").read_text()
    read = set(re.findall(r"""env\.get\(\s*["']([A-Z][A-Z0-9_]*)["']""", config))
    assert read, "no settings found in config.py: the pattern no longer fits it"
    example = (ROOT / ".env.example").read_text()
    named = set(re.findall(r"^([A-Z][A-Z0-9_]*)=", example, flags=re.MULTILINE))
    assert (read | SETTINGS) - named == set()


def test_env_example_names_what_compose_needs_for_the_database(compose):
    example = (ROOT / ".env.example").read_text()
    for name in ("POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB"):
        assert re.search(rf"^{name}=", example, flags=re.MULTILINE)
        assert name in json.dumps(compose["services"]["db"])


# The image itself -------------------------------------------------------------------------


def _docker_answers() -> str | None:
    """Why the image cannot be built here, or None when it can."""
    if shutil.which("docker") is None:
        return "docker is not on PATH"
    try:
        subprocess.run(["docker", "info"], capture_output=True, timeout=5, check=True)
    except (subprocess.SubprocessError, OSError) as exc:
        return f"no Docker daemon answers `docker info` ({type(exc).__name__})"
    return None


def test_the_built_image_runs_qpr():
    reason = _docker_answers()
    if reason:
        pytest.skip(reason)
    tag = "qpr-bot:test-deploy"
    subprocess.run(["docker", "build", "-t", tag, str(ROOT)], check=True, timeout=1800)
    run = subprocess.run(
        ["docker", "run", "--rm", tag, "--help"], capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr
    assert "usage: qpr" in run.stdout
