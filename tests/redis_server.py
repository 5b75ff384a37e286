"""A Redis server of the test's own, on a unix socket, that the test can stop and start again.

``pointed_at(server)`` points Django's cache and Celery's broker at it for the test: the cache handler is
re-created by the CACHES setting change, Celery's producer pool is dropped so the next publish
connects to the new broker address.
"""

import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import redis

REDIS_SERVER = "/usr/bin/redis-server"


class RedisServer:
    def __init__(self) -> None:
        # Not pytest's tmp_path: a unix socket path must stay under 108 bytes.
        self.folder = Path(tempfile.mkdtemp(prefix="hcp-redis-", dir="/tmp"))
        self.socket = str(self.folder / "redis.sock")
        self.process: subprocess.Popen | None = None

    @property
    def cache_url(self) -> str:
        return f"unix://{self.socket}?db=0"

    @property
    def broker_url(self) -> str:
        return f"redis+socket://{self.socket}"

    def client(self) -> redis.Redis:
        return redis.Redis(unix_socket_path=self.socket, socket_timeout=1, socket_connect_timeout=1)

    def is_up(self) -> bool:
        client = self.client()
        try:
            return bool(client.ping())
        except redis.exceptions.ConnectionError:
            return False
        finally:
            client.close()

    def start(self) -> None:
        args = [REDIS_SERVER, "--port", "0", "--unixsocket", self.socket, "--unixsocketperm", "700"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.folder)]
        self.process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(200):  # wait for it to listen (a readiness poll, not a timing assertion)
            if self.is_up():
                return
            time.sleep(0.05)
        raise RuntimeError("the test's redis-server did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait()
            self.process = None
        Path(self.socket).unlink(missing_ok=True)

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


@contextmanager
def running_redis() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.close()


def _drop_producers() -> None:
    from config.celery import app

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def pointed_at(server: RedisServer, settings) -> Iterator[None]:
    """Django's cache and Celery's broker use ``server`` until the block ends."""
    from config.celery import app

    default = {**settings.CACHES["default"], "LOCATION": server.cache_url}
    settings.CACHES = {**settings.CACHES, "default": default}
    previous = app.conf.broker_url
    _drop_producers()
    app.conf.broker_url = server.broker_url
    try:
        yield
    finally:
        _drop_producers()
        app.conf.broker_url = previous
