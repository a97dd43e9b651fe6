"""Nothing changes after the close, enforced by the database itself.

Triggers, on PostgreSQL and on SQLite:

- a ballot or a line of the register of votes can only be inserted while its
  assembly is convened (not in preparation, not closed); on PostgreSQL the
  trigger takes a KEY SHARE lock on the assembly row, so the close (which locks
  it FOR UPDATE) waits for ballots being written, and ballots arriving during
  the close wait for it and are then refused;
- a ballot is never updated; a line of the register may only lose the account
  that recorded it (when that account is deleted), nothing else;
- a proxy cannot be given, nor attendance changed, once the assembly is closed;
- a closed assembly cannot be reopened, nor its closing time changed.

Deleting is left to the cascade of an organisation's deletion; a ballot removed
by hand after the close is found by `manage.py governance_verify` (the seal).
"""

from django.db import migrations

CLOSED_MESSAGE = "governance: voting is closed for this assembly"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION governance_vote_insert_check() RETURNS trigger AS $$
DECLARE
    st varchar;
BEGIN
    SELECT a.status INTO st FROM governance_assembly a
        JOIN governance_resolution r ON r.assembly_id = a.id
        WHERE r.id = NEW.resolution_id
        FOR KEY SHARE OF a;
    IF st IS DISTINCT FROM 'convened' THEN
        RAISE EXCEPTION '{CLOSED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION governance_ballot_no_update() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'governance: a ballot never changes' USING ERRCODE = 'integrity_constraint_violation';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION governance_record_no_update() RETURNS trigger AS $$
BEGIN
    IF NEW.resolution_id IS DISTINCT FROM OLD.resolution_id
       OR NEW.voter_id IS DISTINCT FROM OLD.voter_id
       OR NEW.acted_by_id IS DISTINCT FROM OLD.acted_by_id
       OR NEW.channel IS DISTINCT FROM OLD.channel
       OR NEW.created_at IS DISTINCT FROM OLD.created_at
       OR (NEW.recorded_by_id IS NOT NULL AND NEW.recorded_by_id IS DISTINCT FROM OLD.recorded_by_id) THEN
        RAISE EXCEPTION 'governance: the register of votes never changes'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION governance_assembly_closed_check() RETURNS trigger AS $$
DECLARE
    st varchar;
BEGIN
    SELECT status INTO st FROM governance_assembly WHERE id = NEW.assembly_id;
    IF st = 'closed' THEN
        RAISE EXCEPTION '{CLOSED_MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION governance_assembly_no_reopen() RETURNS trigger AS $$
BEGIN
    IF OLD.status = 'closed' AND (NEW.status IS DISTINCT FROM 'closed'
                                  OR NEW.closed_at IS DISTINCT FROM OLD.closed_at) THEN
        RAISE EXCEPTION 'governance: a closed assembly cannot be reopened'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER governance_ballot_insert BEFORE INSERT ON governance_ballot
    FOR EACH ROW EXECUTE FUNCTION governance_vote_insert_check();
CREATE TRIGGER governance_ballot_update BEFORE UPDATE ON governance_ballot
    FOR EACH ROW EXECUTE FUNCTION governance_ballot_no_update();
CREATE TRIGGER governance_record_insert BEFORE INSERT ON governance_voterecord
    FOR EACH ROW EXECUTE FUNCTION governance_vote_insert_check();
CREATE TRIGGER governance_record_update BEFORE UPDATE ON governance_voterecord
    FOR EACH ROW EXECUTE FUNCTION governance_record_no_update();
CREATE TRIGGER governance_proxy_insert BEFORE INSERT ON governance_proxy
    FOR EACH ROW EXECUTE FUNCTION governance_assembly_closed_check();
CREATE TRIGGER governance_voter_update BEFORE UPDATE ON governance_voter
    FOR EACH ROW EXECUTE FUNCTION governance_assembly_closed_check();
CREATE TRIGGER governance_assembly_update BEFORE UPDATE ON governance_assembly
    FOR EACH ROW EXECUTE FUNCTION governance_assembly_no_reopen();
"""

POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS governance_ballot_insert ON governance_ballot;
DROP TRIGGER IF EXISTS governance_ballot_update ON governance_ballot;
DROP TRIGGER IF EXISTS governance_record_insert ON governance_voterecord;
DROP TRIGGER IF EXISTS governance_record_update ON governance_voterecord;
DROP TRIGGER IF EXISTS governance_proxy_insert ON governance_proxy;
DROP TRIGGER IF EXISTS governance_voter_update ON governance_voter;
DROP TRIGGER IF EXISTS governance_assembly_update ON governance_assembly;
DROP FUNCTION IF EXISTS governance_vote_insert_check();
DROP FUNCTION IF EXISTS governance_ballot_no_update();
DROP FUNCTION IF EXISTS governance_record_no_update();
DROP FUNCTION IF EXISTS governance_assembly_closed_check();
DROP FUNCTION IF EXISTS governance_assembly_no_reopen();
"""

_STATUS_OF_RESOLUTION = (
    "(SELECT a.status FROM governance_assembly a JOIN governance_resolution r "
    "ON r.assembly_id = a.id WHERE r.id = NEW.resolution_id)"
)

SQLITE_FORWARD = [
    f"""CREATE TRIGGER governance_ballot_insert BEFORE INSERT ON governance_ballot
    WHEN {_STATUS_OF_RESOLUTION} IS NOT 'convened'
    BEGIN SELECT RAISE(ABORT, '{CLOSED_MESSAGE}'); END;""",
    """CREATE TRIGGER governance_ballot_update BEFORE UPDATE ON governance_ballot
    BEGIN SELECT RAISE(ABORT, 'governance: a ballot never changes'); END;""",
    f"""CREATE TRIGGER governance_record_insert BEFORE INSERT ON governance_voterecord
    WHEN {_STATUS_OF_RESOLUTION} IS NOT 'convened'
    BEGIN SELECT RAISE(ABORT, '{CLOSED_MESSAGE}'); END;""",
    """CREATE TRIGGER governance_record_update BEFORE UPDATE ON governance_voterecord
    WHEN NEW.resolution_id IS NOT OLD.resolution_id OR NEW.voter_id IS NOT OLD.voter_id
      OR NEW.acted_by_id IS NOT OLD.acted_by_id OR NEW.channel IS NOT OLD.channel
      OR NEW.created_at IS NOT OLD.created_at
      OR (NEW.recorded_by_id IS NOT NULL AND NEW.recorded_by_id IS NOT OLD.recorded_by_id)
    BEGIN SELECT RAISE(ABORT, 'governance: the register of votes never changes'); END;""",
    f"""CREATE TRIGGER governance_proxy_insert BEFORE INSERT ON governance_proxy
    WHEN (SELECT status FROM governance_assembly WHERE id = NEW.assembly_id) = 'closed'
    BEGIN SELECT RAISE(ABORT, '{CLOSED_MESSAGE}'); END;""",
    f"""CREATE TRIGGER governance_voter_update BEFORE UPDATE ON governance_voter
    WHEN (SELECT status FROM governance_assembly WHERE id = NEW.assembly_id) = 'closed'
    BEGIN SELECT RAISE(ABORT, '{CLOSED_MESSAGE}'); END;""",
    """CREATE TRIGGER governance_assembly_update BEFORE UPDATE ON governance_assembly
    WHEN OLD.status = 'closed' AND (NEW.status IS NOT 'closed' OR NEW.closed_at IS NOT OLD.closed_at)
    BEGIN SELECT RAISE(ABORT, 'governance: a closed assembly cannot be reopened'); END;""",
]

SQLITE_TRIGGERS = [
    "governance_ballot_insert",
    "governance_ballot_update",
    "governance_record_insert",
    "governance_record_update",
    "governance_proxy_insert",
    "governance_voter_update",
    "governance_assembly_update",
]


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FORWARD)
    elif vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"No ballot triggers for {vendor}.")


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_BACKWARD)
    elif vendor == "sqlite":
        for name in SQLITE_TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("governance", "0001_governance_initial")]

    operations = [migrations.RunPython(forward, backward)]
