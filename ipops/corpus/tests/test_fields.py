"""Field definitions: the key fields the bureau edits, and which patents are in a field."""

from __future__ import annotations

from dataclasses import replace

import pytest

from ipcore.access import Role
from ipcore.industries.key_fields import shipped_key_fields
from ipcore.patents.record import Classification, Scheme, Text, TextField
from ipops.audit.actions import Action
from ipops.audit.models import AuditEntry
from ipops.corpus.fields import (
    FieldScheme,
    current_key_fields,
    field_ref,
    field_refs,
    patents_in_field,
)
from ipops.corpus.models import KeyField
from ipops.corpus.services import update_key_field
from ipops.corpus.tests.factories import cn_record, load, us_record
from ipops.errors import InvalidInput, NotPermitted

pytestmark = pytest.mark.django_db


def _edit(actor, field: KeyField, **changes):  # type: ignore[no-untyped-def]
    values = {
        "name_zh": field.name_zh,
        "name_en": field.name_en,
        "builds_on": list(field.builds_on),
        "rules": field.rules,
        "source": field.source,
    }
    return update_key_field(actor=actor, key_field=field, **{**values, **changes})


def test_the_migration_seeds_the_shipped_key_fields() -> None:
    rows = list(KeyField.objects.all())

    assert [row.code for row in rows] == [text.code for text in shipped_key_fields()]
    assert all(row.version == 1 and row.source for row in rows)
    assert current_key_fields().fields_of(["B64U 10/13"]) == {"aerospace"}


def test_the_bureau_edits_a_definition_with_old_and_new_values_audited(personas) -> None:  # type: ignore[no-untyped-def]
    field = KeyField.objects.get(code="aerospace")
    old_rules = field.rules

    saved = _edit(
        personas[Role.BUREAU], field, rules="B64U*\nB64F*  # ipops 2026", builds_on=["2.2"]
    )

    assert saved.version == 2
    assert current_key_fields().fields_of(["B64F 5/10"]) == {"aerospace", "high-end-equipment"}
    # 2.3 (satellites) is no longer part of aerospace; it stays high-end equipment.
    assert current_key_fields().fields_of(["G01S 19/42"]) == {"high-end-equipment"}
    entry = AuditEntry.objects.get(action=Action.KEY_FIELD_UPDATED)
    assert entry.target_id == str(field.pk)
    assert entry.old_values == {"builds_on": ["2.2", "2.3"], "rules": old_rules}
    assert entry.new_values == {
        "builds_on": ["2.2"],
        "rules": "B64U*\nB64F*  # ipops 2026",
        "version": 2,
    }


def test_an_unchanged_definition_writes_nothing(personas) -> None:  # type: ignore[no-untyped-def]
    field = KeyField.objects.get(code="ai")

    assert _edit(personas[Role.BUREAU], field).version == 1
    assert not AuditEntry.objects.filter(action=Action.KEY_FIELD_UPDATED).exists()


@pytest.mark.parametrize(
    ("changes", "field_name", "says"),
    [
        ({"rules": "G06N3*\nG06N 3/0X"}, "rules", "第 2 行"),
        ({"builds_on": ["1.9"]}, "builds_on", "1.9"),
        ({"builds_on": [], "rules": "# nothing"}, "rules", "定义为空"),
    ],
)
def test_a_definition_that_cannot_apply_is_refused_and_nothing_is_written(  # type: ignore[no-untyped-def]
    personas, changes, field_name, says
) -> None:
    field = KeyField.objects.get(code="ai")

    with pytest.raises(InvalidInput) as raised:
        _edit(personas[Role.BUREAU], field, **changes)

    assert says in raised.value.details[field_name][0]
    field.refresh_from_db()
    assert field.version == 1
    assert not AuditEntry.objects.filter(action=Action.KEY_FIELD_UPDATED).exists()


def test_only_the_bureau_edits(personas) -> None:  # type: ignore[no-untyped-def]
    field = KeyField.objects.get(code="ai")

    with pytest.raises(NotPermitted):
        _edit(personas[Role.PROVIDER], field, name_en="AI")


def test_the_shipped_definitions_stand_in_for_an_empty_table() -> None:
    KeyField.objects.all().delete()

    assert {d.code for d in current_key_fields().definitions} == {
        t.code for t in shipped_key_fields()
    }


def test_every_scheme_offers_its_fields() -> None:
    refs = field_refs()

    assert sum(r.scheme is FieldScheme.KEY for r in refs) == 7
    assert sum(r.scheme is FieldScheme.SEI for r in refs) == 49
    assert sum(r.scheme is FieldScheme.WIPO for r in refs) == 35
    assert field_ref("key:integrated-circuits").query_text() == "领域：集成电路（重点产业）"
    assert field_ref("sei:1.5").query_text() == "领域：1.5 人工智能（战略性新兴产业）"
    with pytest.raises(InvalidInput):
        field_ref("sei:10.1")


def _patents() -> dict[str, int]:
    battery_car = cn_record(
        1,
        texts=(
            Text(TextField.TITLE, "zh", "一种电动汽车用锂电池正极材料"),
            Text(TextField.ABSTRACT, "zh", "本发明公开了一种锂电池正极材料。"),
        ),
    )
    battery = cn_record(2)  # H01M 4/525, no vehicle in its text
    network = cn_record(3, classifications=(Classification(Scheme.IPC, "H04L 1/18", 1),))
    lan = cn_record(4, classifications=(Classification(Scheme.IPC, "H04L 12/28", 1),))
    vision = us_record(
        "11000001", classifications=(Classification(Scheme.CPC, "G06V 40/16", 1, is_main=True),)
    )
    bare = replace(
        cn_record(5), classifications=(Classification(Scheme.IPC, "H04L", 1, is_main=True),)
    )
    records = {
        "battery_car": battery_car,
        "battery": battery,
        "network": network,
        "lan": lan,
        "vision": vision,
        "bare": bare,
    }
    return {name: load(record)[0].pk for name, record in records.items()}


def test_patents_in_a_field_are_matched_exactly() -> None:
    ids = _patents()

    networks, total = patents_in_field(field_ref("sei:1.1"), limit=100)
    assert (networks, total) == ([ids["network"]], 1)  # not H04L 12/28, not a bare H04L
    assert patents_in_field(field_ref("sei:8.1"), limit=100)[0] == [ids["lan"]]
    # 5.2 rule 5: H01M 4/13… only with 汽车-related words in the title or abstract.
    assert patents_in_field(field_ref("sei:5.2"), limit=100)[0] == [ids["battery_car"]]
    assert patents_in_field(field_ref("sei:5"), limit=100)[0] == [ids["battery_car"]]
    assert patents_in_field(field_ref("key:ai"), limit=100)[0] == [ids["vision"]]
    assert patents_in_field(field_ref("key:next-gen-it"), limit=100)[0] == [ids["network"]]
    assert patents_in_field(field_ref("wipo:6"), limit=100)[0] == [ids["vision"]]


def test_a_field_search_counts_beyond_its_limit() -> None:
    ids = _patents()

    found, total = patents_in_field(field_ref("wipo:4"), limit=1)  # digital communication

    assert total == 3  # H04L 1/18, H04L 12/28 and a bare H04L: the whole subclass is field 4
    assert found == [min(ids["network"], ids["lan"], ids["bare"])]


# --- pages -------------------------------------------------------------------------------------


def test_the_list_shows_the_three_schemes(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.ENTERPRISE).get("/patents/fields/").content.decode()

    assert "集成电路" in page  # a key field
    assert "/patents/fields/sei/1.5/" in page and "人工智能" in page  # SEI
    assert "数字通信" in page and "H04L" in page  # WIPO field 4 and its subclass
    assert "/patents/fields/key/ai/edit/" not in page  # only the bureau edits


def test_a_refused_edit_says_which_line_and_changes_nothing(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.BUREAU)
    field = KeyField.objects.get(code="ai")
    form = {
        "name_zh": field.name_zh,
        "name_en": field.name_en,
        "builds_on": field.builds_on,
        "rules": "G06N3*\nG06N 3/0X",
        "source": field.source,
    }

    response = client.post("/patents/fields/key/ai/edit/", form)

    assert response.status_code == 200
    assert "第 2 行" in response.content.decode()
    field.refresh_from_db()
    assert field.version == 1


def test_a_saved_edit_shows_in_the_history_for_the_bureau_only(client_for) -> None:  # type: ignore[no-untyped-def]
    client = client_for(Role.BUREAU)
    field = KeyField.objects.get(code="biomedicine")
    form = {
        "name_zh": field.name_zh,
        "name_en": "Biomedicine and devices",
        "builds_on": ["4.1", "4.2"],
        "rules": "",
        "source": field.source,
    }

    response = client.post("/patents/fields/key/biomedicine/edit/", form)

    assert response.status_code == 302
    page = client.get("/patents/fields/key/biomedicine/").content.decode()
    assert "Biomedicine and devices" in page and "diff-old" in page
    other = client_for(Role.PROVIDER).get("/patents/fields/key/biomedicine/").content.decode()
    assert "Biomedicine and devices" in other and "diff-old" not in other


def test_a_sei_category_lists_its_rules(client_for) -> None:  # type: ignore[no-untyped-def]
    page = client_for(Role.PROVIDER).get("/patents/fields/sei/1.1/").content.decode()

    assert "H04L1*" in page and "G06F21/60" in page
    assert "计算机和辅助设备修理" in page  # the rule's description, shown as a note
    assert client_for(Role.PROVIDER).get("/patents/fields/sei/1.9/").status_code == 404
