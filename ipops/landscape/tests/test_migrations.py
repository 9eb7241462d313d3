"""Data migrations of the landscape app, run forward over rows written before them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ipcore.landscape.schema import owner_key

BEFORE_KEY = [("landscape", "0006_prepared_rows")]
WITH_KEY = [("landscape", "0007_owner_key")]


@pytest.mark.django_db(transaction=True)
def test_owner_keys_are_filled_in_for_facts_written_before_them() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE_KEY)
    old = executor.loader.project_state(BEFORE_KEY).apps
    dataset = old.get_model("landscape", "Dataset").objects.create(
        name="旧数据集", as_of=dt.date(2026, 1, 1)
    )
    owners = old.get_model("landscape", "FactOwner").objects
    owners.create(dataset=dataset, patent_id=1, position=1, entity_id=42, name="华为技术有限公司")
    owners.create(dataset=dataset, patent_id=2, position=1, entity_id=None, name="张伟")

    executor = MigrationExecutor(connection)  # the graph as it is now, 0006 applied
    executor.migrate(WITH_KEY)
    new = executor.loader.project_state(WITH_KEY).apps
    keys = dict(new.get_model("landscape", "FactOwner").objects.values_list("patent_id", "key"))

    assert keys == {1: owner_key(42, "华为技术有限公司"), 2: owner_key(None, "张伟")}
    assert keys == {1: "e:42", 2: "n:张伟"}
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest for the next test
