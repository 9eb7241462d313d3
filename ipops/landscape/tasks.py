"""Background tasks of the landscape app (django-tasks, database queue: `ipops db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task

from ipops.landscape import services


@task()
def write_report_file(task_id: int) -> dict[str, Any]:
    """Write one queued report file (报告任务) with its progress; the task's row says how it
    went, failures included, so this never raises for a report that could not be written."""
    done = services.run_report_task(task_id=task_id)
    return {"task": task_id, "status": done.status if done is not None else "gone"}
