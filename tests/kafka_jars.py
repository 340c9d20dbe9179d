"""The Apache Kafka broker's jars, fetched once from Maven Central into a cache.

The broker runs from the published ``kafka_2.13`` artifact and its runtime
dependencies rather than from the release tarball, because Maven Central is the
one source of Java artifacts that every environment of ours can reach.
"""

from __future__ import annotations

import fcntl
import shutil
import subprocess
import time
from pathlib import Path
from xml.sax.saxutils import escape

from platformdirs import user_cache_path

from streams.devstack.process import ServiceError
from streams.logs import get_logger

log = get_logger(__name__)

KAFKA_VERSION = "4.1.1"
SCALA_VERSION = "2.13"
DEPENDENCY_PLUGIN_VERSION = "3.8.1"
COMPLETE_MARKER = ".complete"

# The kafka_2.13 pom names slf4j 1.7 and no binding, which silences the broker
# entirely; slf4j 2 with the log4j2 bridge routes its logs to our log4j2 config.
LOGGING_ARTIFACTS = (
    ("org.slf4j", "slf4j-api", "2.0.17"),
    ("org.apache.logging.log4j", "log4j-slf4j2-impl", "2.24.3"),
)


def default_cache_dir(version: str = KAFKA_VERSION) -> Path:
    return user_cache_path("dyadwatch") / f"kafka-{version}"


def render_pom(version: str = KAFKA_VERSION) -> str:
    """A throw-away project whose only purpose is to resolve the broker's classpath."""
    artifacts = [("org.apache.kafka", f"kafka_{SCALA_VERSION}", version), *LOGGING_ARTIFACTS]
    deps = "\n".join(
        "    <dependency>"
        f"<groupId>{escape(g)}</groupId><artifactId>{escape(a)}</artifactId>"
        f"<version>{escape(v)}</version></dependency>"
        for g, a, v in artifacts
    )
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>dyadwatch.local</groupId>
  <artifactId>kafka-broker-classpath</artifactId>
  <version>{escape(version)}</version>
  <packaging>pom</packaging>
  <dependencies>
{deps}
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>{DEPENDENCY_PLUGIN_VERSION}</version>
      </plugin>
    </plugins>
  </build>
</project>
"""


def libs_dir(cache_dir: Path) -> Path:
    return cache_dir / "libs"


def jars_complete(cache_dir: Path) -> bool:
    libs = libs_dir(cache_dir)
    return (libs / COMPLETE_MARKER).is_file() and any(libs.glob("kafka_*.jar"))


def fetch_kafka_jars(version: str = KAFKA_VERSION, cache_dir: Path | None = None) -> Path:
    """The directory holding the broker's jars; downloads them on the first call only.

    A marker file is written after a complete download, so an interrupted fetch is
    redone and a complete one never touches the network again. A file lock keeps
    parallel callers (test workers) from downloading into the same place at once.
    """
    cache_dir = Path(cache_dir) if cache_dir else default_cache_dir(version)
    if jars_complete(cache_dir):
        return libs_dir(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)
    with (cache_dir / ".lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not jars_complete(cache_dir):
            _download(version, cache_dir)
    return libs_dir(cache_dir)


def _download(version: str, cache_dir: Path) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise ServiceError("Maven (mvn) is needed once to fetch the Kafka jars; install it")
    pom = cache_dir / "pom.xml"
    pom.write_text(render_pom(version))
    staging = cache_dir / "libs.partial"
    shutil.rmtree(staging, ignore_errors=True)
    argv = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(pom),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={staging}",
        "-DincludeScope=runtime",
    ]
    log.info("fetching kafka jars", version=version, into=str(cache_dir))
    started = time.monotonic()
    result = subprocess.run(argv, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        tail = "\n".join((result.stdout + result.stderr).splitlines()[-30:])
        raise ServiceError(f"mvn could not fetch kafka_{SCALA_VERSION}:{version}:\n{tail}")
    shutil.rmtree(libs_dir(cache_dir), ignore_errors=True)
    staging.rename(libs_dir(cache_dir))
    jars = sorted(p.name for p in libs_dir(cache_dir).glob("*.jar"))
    (libs_dir(cache_dir) / COMPLETE_MARKER).write_text("\n".join(jars) + "\n")
    log.info(
        "fetched kafka jars",
        version=version,
        count=len(jars),
        seconds=round(time.monotonic() - started, 1),
    )
