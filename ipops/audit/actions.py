"""The vocabulary of the audit log: one member per kind of write, named `<app>.<verb>`.

Each app adds its actions here when it adds a service that writes. The value is what is
stored; the label is what the bureau sees when it filters the log.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    # accounts — organisations
    ORGANIZATION_CREATED = "accounts.organization_created", _("Organisation created")
    ORGANIZATION_UPDATED = "accounts.organization_updated", _("Organisation updated")
    ENGAGEMENT_CREATED = "accounts.engagement_created", _("Client engagement created")
    ENGAGEMENT_ENDED = "accounts.engagement_ended", _("Client engagement ended")
    # accounts — people
    USER_CREATED = "accounts.user_created", _("Account created")
    USER_UPDATED = "accounts.user_updated", _("Account updated")
    USER_DEACTIVATED = "accounts.user_deactivated", _("Account deactivated")
    USER_REACTIVATED = "accounts.user_reactivated", _("Account reactivated")
    PASSWORD_CHANGED = "accounts.password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "accounts.password_reset_requested", _("Password reset requested")
    PASSWORD_RESET = "accounts.password_reset", _("Password reset")
    LOGGED_IN = "accounts.logged_in", _("Signed in")
    LOGGED_OUT = "accounts.logged_out", _("Signed out")
    LOGIN_FAILED = "accounts.login_failed", _("Sign-in failed")
    LOGIN_THROTTLED = "accounts.login_throttled", _("Sign-in blocked by throttling")
    TOKEN_CREATED = "accounts.token_created", _("API token created")
    TOKEN_REVOKED = "accounts.token_revoked", _("API token revoked")
    # corpus
    INGEST_STARTED = "corpus.ingest_started", _("Import started")
    INGEST_BATCH = "corpus.ingest_batch", _("Import batch written")
    INGEST_FINISHED = "corpus.ingest_finished", _("Import finished")
    INGEST_FAILED = "corpus.ingest_failed", _("Import failed")
    NAME_DECISION_RECORDED = "corpus.name_decision_recorded", _("Name resolution decision")
    NAMES_RESOLVED = "corpus.names_resolved", _("Applicant names resolved")
    KEY_FIELD_UPDATED = "corpus.key_field_updated", _("Key field definition edited")
    LEGAL_EVENTS_RECORDED = "corpus.legal_events_recorded", _("Legal events recorded")
    TRANSFER_RECORDED = "corpus.transfer_recorded", _("Patent transfer recorded")
    ENTITY_LINKED = "corpus.entity_linked", _("Applicant linked to an organisation")
    ENTITY_LINK_REFUSED = "corpus.entity_link_refused", _("Applicant link refused")
    # search
    SEARCH_INDEX_REBUILT = "search.index_rebuilt", _("Search index rebuilt")
    SEARCH_SAVED = "search.saved", _("Search saved")
    SEARCH_RUN = "search.run", _("Saved search run")
    SEARCH_DELETED = "search.deleted", _("Saved search deleted")
    # valuation
    VALUES_SCORED = "valuation.values_scored", _("Patent values scored")
    SCORING_FAILED = "valuation.scoring_failed", _("Patent value scoring failed")
    RESCORING_REQUESTED = "valuation.rescoring_requested", _("Patent value scoring requested")
    AWARD_LIST_UPLOADED = "valuation.award_list_uploaded", _("Award list uploaded")
    AWARD_LIST_DELETED = "valuation.award_list_deleted", _("Award list deleted")
    POPULATION_RECORDED = "valuation.population_recorded", _("Resident population recorded")
    PORTFOLIO_CREATED = "valuation.portfolio_created", _("Portfolio created")
    PORTFOLIO_CHANGED = "valuation.portfolio_changed", _("Portfolio patents changed")
    PORTFOLIO_DELETED = "valuation.portfolio_deleted", _("Portfolio deleted")
    PROGRAMME_ENROLLED = "valuation.programme_enrolled", _("Portfolio enrolled for cultivation")
    PROGRAMME_WITHDRAWN = "valuation.programme_withdrawn", _("Portfolio left the programme")
    # landscape
    DATASET_CREATED = "landscape.dataset_created", _("Dataset created")
    DATASET_REFINED = "landscape.dataset_refined", _("Dataset refined")
    DATASET_TAGGED = "landscape.dataset_tagged", _("Dataset patents tagged")
    DATASET_DELETED = "landscape.dataset_deleted", _("Dataset deleted")
    DATASET_PREPARED = "landscape.dataset_prepared", _("Dataset statistics prepared again")
    SNAPSHOT_WRITTEN = "landscape.snapshot_written", _("Analytics snapshot written")
    PROJECT_CREATED = "landscape.project_created", _("Project created")
    PROJECT_MOVED = "landscape.project_moved", _("Project moved to another stage")
    PROJECT_DATASET_ATTACHED = "landscape.project_dataset_attached", _("Dataset added to project")
    REPORT_REQUESTED = "landscape.report_requested", _("Report file requested")
    REPORT_WRITTEN = "landscape.report_written", _("Report file written")
    REPORT_FAILED = "landscape.report_failed", _("Report file failed")
    # market
    LISTING_CREATED = "market.listing_created", _("Listing published")
    LISTING_REFUSED = "market.listing_refused", _("Listing refused")
    LISTING_WITHDRAWN = "market.listing_withdrawn", _("Listing withdrawn")
    LISTING_LAPSED = "market.listing_lapsed", _("Listing withdrawn: a patent lapsed")
    NEED_CREATED = "market.need_created", _("Technology need published")
    DEAL_OPENED = "market.deal_opened", _("Deal inquiry opened")
    DEAL_MOVED = "market.deal_moved", _("Deal moved to another stage")
    DEAL_MOVE_REFUSED = "market.deal_move_refused", _("Deal move refused")
    DEAL_MESSAGE_SENT = "market.deal_message_sent", _("Deal message sent")
    DOCUMENT_UPLOADED = "market.document_uploaded", _("Deal document uploaded")
    DOCUMENT_REFUSED = "market.document_refused", _("Deal document refused")
    MATCH_FEEDBACK = "market.match_feedback", _("Match marked useful or not")
    MATCH_FEEDBACK_REFUSED = "market.match_feedback_refused", _("Match mark refused")
    # finance
    PLEDGE_REGISTERED = "finance.pledge_registered", _("Pledge registered")
    PLEDGE_REFUSED = "finance.pledge_refused", _("Pledge registration refused")
    PLEDGE_RELEASED = "finance.pledge_released", _("Pledge released")
    PLEDGE_CHANGED = "finance.pledge_changed", _("Pledge changed")
    PLEDGE_CHANGE_REFUSED = "finance.pledge_change_refused", _("Pledge change refused")
    PLEDGE_IMPORTED = "finance.pledge_imported", _("Pledge imported from a file")
    PLEDGE_FILE_IMPORTED = "finance.pledge_file_imported", _("Pledge records imported")
    PLEDGE_IMPORT_REFUSED = "finance.pledge_import_refused", _("Pledge import refused")
    # notifications
    NOTIFICATIONS_READ = "notifications.read", _("Notifications marked read")
