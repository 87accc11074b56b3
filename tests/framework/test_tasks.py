"""Background tasks: every run is kept as a TaskRun, in-process without a broker and through a real worker."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from contextlib import suppress
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from kombu import Connection
from sqlalchemy import create_engine, select

from blueprints.monitoring.tasks import check_health, prune_task_runs
from tests.conftest import REDIS_TEST_URL, require
from webapp.config import PROJECT_ROOT
from webapp.extensions import celery, db
from webapp.models import AuditLog, TaskRun, utcnow
from webapp.tasks import ARGS_SUMMARY_LIMIT, summarise_args

WORKER_TIMEOUT = 60  # seconds for a real worker to start, take the task and record its run


def only_run() -> TaskRun:
    runs = db.session.scalars(select(TaskRun)).all()
    assert len(runs) == 1, runs
    return runs[0]


def add_stuck_run() -> None:
    """A run a dead worker left STARTED two hours ago: the monitoring health check then fails."""
    db.session.add(TaskRun(task_id="dead-worker", task_name="catalog.reindex", module_code="catalog",
                           state="STARTED", started_at=utcnow() - timedelta(hours=2)))
    db.session.commit()


# -- eager runs (no broker) -------------------------------------------------------------------
def test_without_a_broker_tasks_run_in_process(app):
    assert app.config["REDIS_URL"] == ""
    assert celery.conf.task_always_eager is True


def test_an_eager_run_is_recorded_as_success(platform):
    before = utcnow()
    result = check_health.apply_async(kwargs={"platform_id": platform.id})
    after = utcnow()
    assert result.successful()
    run = only_run()
    assert run.state == "SUCCESS"
    assert run.task_name == "monitoring.check_health"
    assert run.module_code == "monitoring"
    assert run.task_id == result.id
    assert run.args_summary == f"platform_id={platform.id}"
    assert run.error is None
    assert before <= run.started_at <= run.finished_at <= after
    assert run.duration_ms is not None and run.duration_ms >= 0


def test_platform_id_tags_the_run_with_its_platform(create_platform):
    other = create_platform("other")
    check_health.apply_async(kwargs={"platform_id": other.id})
    run = only_run()
    assert run.platform_id == other.id
    assert run.platform.code == "other"


def test_a_run_without_a_platform_is_not_tagged():
    check_health.delay()
    run = only_run()
    assert run.platform_id is None
    assert run.args_summary == ""


def test_positional_arguments_are_summarised():
    assert prune_task_runs.apply_async(args=(7,)).get() == 0
    run = only_run()
    assert run.task_name == "monitoring.prune_task_runs"
    assert run.args_summary == "7"


def test_long_arguments_are_cut_in_the_summary():
    summary = summarise_args(("x" * 1000,), {"platform_id": 3})
    assert len(summary) == ARGS_SUMMARY_LIMIT
    assert summary.startswith("'xxx") and summary.endswith("…")
    assert summarise_args((1, "a"), {"platform_id": 3}) == "1, 'a', platform_id=3"


def test_a_failing_run_is_recorded_with_its_traceback():
    add_stuck_run()
    result = check_health.apply_async()
    assert result.failed()
    run = db.session.scalars(select(TaskRun).where(TaskRun.task_name == "monitoring.check_health")).one()
    assert run.state == "FAILURE"
    assert run.finished_at is not None and run.finished_at >= run.started_at
    assert run.error.startswith("Traceback (most recent call last):")
    assert "blueprints/monitoring/tasks.py" in run.error
    assert run.error.rstrip().endswith("RuntimeError: Failing health checks: module:monitoring")


@celery.task(name="tests.write_then_fail")
def write_then_fail() -> None:
    db.session.add(AuditLog(action="tests.half_done"))
    db.session.flush()
    raise ValueError("gave up half-way")


def test_a_failing_task_leaves_no_half_done_writes_but_keeps_its_run():
    result = write_then_fail.apply_async()
    assert result.failed()
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "tests.half_done")).all() == []
    run = only_run()
    assert (run.state, run.module_code) == ("FAILURE", "tests")
    assert "ValueError: gave up half-way" in run.error


@celery.task(name="tests.flaky", bind=True, max_retries=1, default_retry_delay=0)
def flaky(self) -> str:
    if self.request.retries == 0:
        raise self.retry(exc=ConnectionError("shop API timed out"))
    return "imported"


def test_a_retried_run_is_recorded_as_retry_not_failure():
    flaky.apply_async()
    first, second = db.session.scalars(select(TaskRun).order_by(TaskRun.id)).all()
    assert first.state == "RETRY"
    assert "shop API timed out" in first.error
    assert (second.state, second.error) == ("SUCCESS", None)


# -- a real broker and worker -----------------------------------------------------------------
def redis_url_with_db(url: str, number: int) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{number}"))


def redis_reachable(url: str) -> bool:
    import redis

    with suppress(redis.RedisError), redis.Redis.from_url(url, socket_connect_timeout=1) as client:
        return bool(client.ping())
    return False


def read_runs(database_url: str) -> list[dict]:
    engine = create_engine(database_url)
    try:
        with engine.connect() as connection:
            return [dict(row._mapping) for row in connection.execute(select(TaskRun.__table__))]
    finally:
        engine.dispose()


@pytest.mark.slow
def test_a_real_worker_runs_a_queued_task_and_records_it(tmp_path):
    broker_url = redis_url_with_db(REDIS_TEST_URL, 14)
    require(redis_reachable(broker_url), f"Redis at {broker_url}")
    database_url = f"sqlite:///{tmp_path / 'worker.sqlite3'}"
    queue = f"buttek-test-{uuid.uuid4().hex[:12]}"  # a queue of its own: parallel runs share this Redis
    env = {**os.environ, "DATABASE_URL": database_url, "REDIS_URL": broker_url, "SENTRY_DSN": "",
           "PYTHONPATH": str(PROJECT_ROOT), "FLASK_APP": "wsgi"}
    subprocess.run([sys.executable, "-m", "flask", "db", "upgrade"], cwd=PROJECT_ROOT, env=env, check=True,
                   capture_output=True, timeout=120)

    log_path = tmp_path / "worker.log"
    with open(log_path, "wb") as log:
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "webapp.worker", "worker", "--pool=solo", "-c", "1",
             "--without-heartbeat", "--without-gossip", "--without-mingle", "--loglevel=INFO",
             "-Q", queue, "-n", f"{queue}@%h"],
            cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
    task_id = None
    try:
        original_eager = celery.conf.task_always_eager
        celery.conf.task_always_eager = False  # this process publishes; the worker runs the task
        try:
            with Connection(broker_url) as connection:
                task_id = check_health.apply_async(kwargs={"platform_id": None}, queue=queue,
                                                   connection=connection).id
        finally:
            celery.conf.task_always_eager = original_eager
        run = wait_for_finished_run(database_url, task_id, worker, log_path)
    finally:
        stop(worker)
        cleanup_redis(broker_url, queue, task_id)

    assert run["state"] == "SUCCESS", f"{run['error']}\n{log_path.read_text()}"
    assert run["task_name"] == "monitoring.check_health"
    assert run["module_code"] == "monitoring"
    assert run["args_summary"] == "platform_id=None"
    assert run["error"] is None
    assert run["started_at"] is not None and run["finished_at"] is not None
    # The publisher recorded the queued run as PENDING in its own database (here a separate one).
    published = db.session.scalars(select(TaskRun)).all()
    assert [(r.task_id, r.state, r.task_name) for r in published] == [(task_id, "PENDING", "monitoring.check_health")]


def wait_for_finished_run(database_url: str, task_id: str, worker: subprocess.Popen, log_path: Path) -> dict:
    deadline = time.monotonic() + WORKER_TIMEOUT
    while time.monotonic() < deadline:
        if worker.poll() is not None:
            pytest.fail(f"The worker exited with {worker.returncode}:\n{log_path.read_text()}")
        runs = [r for r in read_runs(database_url) if r["task_id"] == task_id]
        if runs and runs[0]["state"] in ("SUCCESS", "FAILURE"):
            return runs[0]
        time.sleep(0.25)
    pytest.fail(f"No finished TaskRun for {task_id} after {WORKER_TIMEOUT} s:\n{log_path.read_text()}")


def stop(worker: subprocess.Popen) -> None:
    if worker.poll() is not None:
        return
    worker.terminate()  # warm shutdown
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(timeout=10)


def cleanup_redis(url: str, queue: str, task_id: str | None) -> None:
    import redis

    with suppress(redis.RedisError), redis.Redis.from_url(url, socket_connect_timeout=1) as client:
        keys = [queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"]
        keys += [f"celery-task-meta-{task_id}"] if task_id else []
        client.delete(*keys)


def test_a_queued_run_shows_as_pending_until_a_worker_starts_it_and_stays_one_row(monkeypatch):
    monkeypatch.setitem(celery.conf, "task_always_eager", False)  # publish instead of running at once
    with Connection("memory://") as connection:
        queued = check_health.apply_async(kwargs={"platform_id": None}, connection=connection)
    pending = only_run()
    assert (pending.task_id, pending.state, pending.started_at) == (queued.id, "PENDING", None)
    check_health.apply(kwargs={"platform_id": None}, task_id=queued.id)  # what the worker does with it
    db.session.expire_all()
    run = only_run()
    assert (run.id, run.state) == (pending.id, "SUCCESS") and run.started_at is not None


def test_queueing_with_unsaved_changes_is_refused_so_a_task_never_commits_half_a_request():
    db.session.add(AuditLog(action="half.done", target="x", details={}))
    with pytest.raises(RuntimeError, match="Commit the session before queueing monitoring.check_health"):
        check_health.delay()
    db.session.rollback()
    assert db.session.scalars(select(TaskRun)).all() == []
    assert db.session.scalars(select(AuditLog).where(AuditLog.action == "half.done")).all() == []
