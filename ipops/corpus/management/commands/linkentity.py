"""`ipops linkentity` — link applicant entities to the platform organisation they are (关联申请人).

An organisation's patents are the patents whose applicants or owners resolve to an entity
linked to it: until the link exists it can list none on the market, pledge none, build no
portfolio of its own. The bureau links on the organisation's page of the corpus; this is the
same for scripts and first installations.
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipops.accounts.commandline import describe, organization_from
from ipops.corpus import services
from ipops.corpus.models import Entity
from ipops.corpus.queries import entity_ids_named
from ipops.errors import ServiceError


class Command(BaseCommand):
    help = (
        "Link applicant entities (by id or by an applicant name as the patents spell it) to "
        "a platform organisation, or --unlink them."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("organization", help="the organisation's credit code or id")
        parser.add_argument("--entity", type=int, action="append", default=[], help="entity id")
        parser.add_argument(
            "--name", action="append", default=[], help="an applicant name as the patents spell it"
        )
        parser.add_argument("--unlink", action="store_true", help="remove these links instead")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = organization_from(options["organization"])
        entities = _entities(options["entity"], options["name"])
        target = None if options["unlink"] else organization
        for entity in entities:
            if options["unlink"] and entity.organization_id != organization.pk:
                raise CommandError(f"entity {entity.pk} ({entity.name}) is not linked to it")
            try:
                services.link_entity(actor=None, entity=entity, organization=target)
            except ServiceError as error:
                message = f"entity {entity.pk} ({entity.name}): {describe(error)}"
                raise CommandError(message) from error
            verb = "unlinked from" if target is None else "linked to"
            self.stdout.write(f"entity {entity.pk} {entity.name}: {verb} {organization.name}")



def _entities(ids: list[int], names: list[str]) -> list[Entity]:
    if not ids and not names:
        raise CommandError("name the entities: --entity ID or --name NAME (repeatable)")
    wanted = list(ids)
    for name in names:
        found = entity_ids_named(name)
        if not found:
            raise CommandError(f"no applicant in the corpus is named {name!r}")
        wanted += found
    entities = {e.pk: e for e in Entity.objects.filter(pk__in=wanted)}
    missing = [pk for pk in ids if pk not in entities]
    if missing:
        raise CommandError(f"no applicant entity with id {', '.join(map(str, missing))}")
    return [entities[pk] for pk in dict.fromkeys(wanted)]
