"""Which engine runs the heavy work: the embedded DuckDB store (the default) or Apache Spark.

The setting is declared here once: ``--engine`` / ``$CAREERBENCH_ENGINE`` (``duckdb`` or
``spark``), ``--spark-master`` / ``$CAREERBENCH_SPARK_MASTER`` (``local[*]``,
``spark://host:7077``, ``yarn``, ...) and Spark settings passed through as they are
(``--spark-conf k=v``, repeated, or ``$CAREERBENCH_SPARK_CONF="k=v,k=v"``).

Spark is an install extra (``pip install 'careerbench[spark]'``) and runs on Java 17; neither is
imported or started unless the Spark engine is chosen. Answers are the same on either engine:
the Spark paths call the same library functions (adapters, the pay model's batch scoring) or
compute the same arrays, and tests hold them equal to the DuckDB results.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from careerbench.errors import EngineError, InputError, InvalidValue

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

ENGINES = ("duckdb", "spark")
DEFAULT_ENGINE = "duckdb"
DEFAULT_MASTER = "local[*]"
ENGINE_ENV = "CAREERBENCH_ENGINE"
MASTER_ENV = "CAREERBENCH_SPARK_MASTER"
CONF_ENV = "CAREERBENCH_SPARK_CONF"
INSTALL_SPARK = "pip install 'careerbench[spark]'"
INSTALL_JAVA = "apt-get install openjdk-17-jre-headless (or set JAVA_HOME to a Java 17)"
#: Settings careerbench gives every session it starts (a user's --spark-conf overrides them).
DEFAULT_CONF: tuple[tuple[str, str], ...] = (
    ("spark.ui.enabled", "false"),
    ("spark.ui.showConsoleProgress", "false"),
    ("spark.sql.execution.arrow.pyspark.enabled", "true"),
    ("spark.sql.session.timeZone", "UTC"),
)


@dataclass(frozen=True)
class Engine:
    """An engine and, for Spark, where it runs and its settings."""

    name: str = DEFAULT_ENGINE
    master: str = DEFAULT_MASTER
    conf: tuple[tuple[str, str], ...] = ()

    @property
    def spark(self) -> bool:
        return self.name == "spark"


def choose(name: str | None = None, master: str | None = None, conf: Iterable[str] = ()) -> Engine:
    """The engine from the options given, else the environment, else DuckDB; Spark is refused
    at once when it cannot run here."""
    chosen = (name or os.environ.get(ENGINE_ENV) or DEFAULT_ENGINE).strip().lower()
    if chosen not in ENGINES:
        raise InvalidValue("engine", chosen, ENGINES)
    settings = [*split_conf(os.environ.get(CONF_ENV, "")), *conf]
    found = Engine(
        chosen,
        (master or os.environ.get(MASTER_ENV) or DEFAULT_MASTER).strip(),
        parse_conf(settings),
    )
    if found.spark:
        require_spark()  # before any work: the missing piece is named at once
    return found


def split_conf(text: str) -> list[str]:
    """``"k=v,k=v"`` as its items (empty items dropped)."""
    return [item.strip() for item in text.split(",") if item.strip()]


def parse_conf(items: Iterable[str]) -> tuple[tuple[str, str], ...]:
    """``k=v`` settings as pairs; a later setting of a key replaces an earlier one."""
    pairs: dict[str, str] = {}
    for item in items:
        key, equals, value = item.partition("=")
        if not equals or not key.strip() or not value.strip():
            raise InputError(
                "spark-conf", f"{item!r} is not key=value; give e.g. spark.executor.memory=4g"
            )
        pairs[key.strip()] = value.strip()
    return tuple(pairs.items())


def require_spark() -> None:
    """Refuse, naming the fix, when pyspark or Java is missing."""
    try:
        import pyspark  # noqa: F401  (only whether it is installed)
    except ImportError as exc:
        raise EngineError(
            f"the Spark engine needs pyspark, which is not installed; run: {INSTALL_SPARK}"
        ) from exc
    java_home = os.environ.get("JAVA_HOME")
    has_java = shutil.which("java") is not None or (
        java_home is not None and os.path.exists(os.path.join(java_home, "bin", "java"))  # noqa: PTH110, PTH118
    )
    if not has_java:
        raise EngineError(
            f"the Spark engine needs Java 17, which was not found; run: {INSTALL_JAVA}"
        )


_SESSIONS: dict[Engine, SparkSession] = {}


def spark_session(engine: Engine) -> SparkSession:
    """A Spark session for ``engine`` (one per setting, kept for the process)."""
    held = _SESSIONS.get(engine)
    if held is not None:
        return held
    require_spark()
    from pyspark.sql import SparkSession  # the Spark engine only: a heavy, optional import

    if engine.master.startswith("local"):
        # A local session binds the loopback address, not whatever the host name resolves to.
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        # Local Python workers run this interpreter (where careerbench is installed).
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.master(engine.master).appName("careerbench")
    for key, value in (*DEFAULT_CONF, *engine.conf):
        builder = builder.config(key, value)
    try:
        session = builder.getOrCreate()
    except Exception as exc:  # Java's own failures come as several exception types
        raise EngineError(
            f"Spark did not start on master {engine.master!r} ({str(exc).splitlines()[0]}); "
            f"check --spark-master / ${MASTER_ENV} and that Java 17 runs ({INSTALL_JAVA})"
        ) from exc
    session.sparkContext.setLogLevel("ERROR")
    _SESSIONS[engine] = session
    return session
