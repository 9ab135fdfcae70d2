"""The intake system below HTTP: migrations, township seeding, case numbers, idempotent creation,
the workflow rules. Every test runs on SQLite and on PostgreSQL (see conftest.py)."""
from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timezone

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from bot.db.base import Base
from bot.db.migrate import alembic_config, upgrade
from bot.intake import schemas, service
from bot.intake.case_numbers import CHINA, PATTERN, next_case_number
from bot.intake.models import CaseCounter, Referral, ReferralEvent, Township
from bot.intake.seed import seed_townships
from bot.intake.service import IntakeError
from bot.settings import ROOT


DIVISIONS = ROOT / "policies" / "shuangliao-divisions.yml"
CASE = re.compile(r"^SL-\d{4}-\d{6}$")


def head_revision(url: str) -> str:
    return ScriptDirectory.from_config(alembic_config(url)).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def this_year() -> int:
    return datetime.now(CHINA).year


def draft(make_draft, **overrides) -> schemas.ReferralDraft:
    return schemas.ReferralDraft.model_validate(make_draft(**overrides))


def in_threads(engine: Engine, count: int, work: Callable[[Session, int], object]) -> list[object]:
    """Run work(session, i) in `count` threads started together, each with its own Session."""
    factory = sessionmaker(engine, expire_on_commit=False)  # as the app's sessions
    barrier = threading.Barrier(count)
    results: list[object] = [None] * count
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            with factory() as session:
                barrier.wait(timeout=30)
                results[i] = work(session, i)
        except BaseException as exc:  # noqa: BLE001 — reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a creating thread hung"
    assert not errors, f"{len(errors)} thread(s) failed, first: {errors[0]!r}"
    return results


# --- migrations --------------------------------------------------------------------------------


def test_upgrade_head_on_an_empty_database_creates_every_table(database_url: str, engine: Engine):
    assert inspect(engine).get_table_names() == []
    upgrade(database_url)
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables, f"missing: {set(Base.metadata.tables) - tables}"
    assert {"townships", "referrals", "referral_events", "case_counters"} <= tables
    assert tables - set(Base.metadata.tables) == {"alembic_version"}
    assert current_revision(engine) == head_revision(database_url)


def test_upgrade_twice_is_harmless(database_url: str, engine: Engine, make_draft):
    upgrade(database_url)
    with Session(engine) as session:
        seed_townships(session, DIVISIONS)
        receipt = service.create_referral(session, draft(make_draft))
    before = set(inspect(engine).get_table_names())
    upgrade(database_url)
    engine.dispose()  # reflect afresh
    assert set(inspect(engine).get_table_names()) == before
    assert current_revision(engine) == head_revision(database_url)
    with Session(engine) as session:  # the data survived
        assert session.scalar(select(func.count()).select_from(Township)) == 18
        assert session.scalars(select(Referral.case_number)).all() == [receipt.case_number]


def test_migrated_schema_matches_the_models(migrated: str, engine: Engine):
    """What `alembic check` does: autogenerate against the migrated database finds nothing to do."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Base.metadata)
    assert differences == []


def test_downgrade_to_base_and_upgrade_again(migrated: str, engine: Engine):
    from alembic import command

    command.downgrade(alembic_config(migrated), "base")
    engine.dispose()
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    upgrade(migrated)
    engine.dispose()
    assert set(Base.metadata.tables) <= set(inspect(engine).get_table_names())


# --- seeding -----------------------------------------------------------------------------------


def test_seed_adds_the_18_townships_unverified_with_their_offices(session: Session):
    townships = {t.name: t for t in session.scalars(select(Township))}
    assert len(townships) == 18
    assert not any(t.verified for t in townships.values())
    assert all(t.office_phone is None for t in townships.values())
    assert Counter(t.kind for t in townships.values()) == {"街道": 6, "镇": 8, "乡": 3, "民族乡": 1}
    shuangshan = townships["双山镇"]
    assert shuangshan.code == "220382101"
    assert shuangshan.office_name == "双山镇人民政府社会救助窗口"
    assert "秀水村" in shuangshan.places
    assert townships["郑家屯街道"].office_name == "郑家屯街道办事处社会救助窗口"
    assert townships["郑家屯街道"].code == "220382001"
    assert townships["柳条乡"].office_name == "柳条乡人民政府社会救助窗口"
    assert townships["那木斯蒙古族乡"].office_name == "那木斯蒙古族乡人民政府社会救助窗口"
    for township in townships.values():
        assert township.office_name.endswith("社会救助窗口")
        assert township.updated_at.tzinfo is not None


def test_seeding_again_adds_nothing_and_keeps_edits(session: Session):
    township = session.get(Township, "220382101")
    township.office_phone = "0434-7123456"
    township.verified = True
    session.commit()
    assert seed_townships(session, DIVISIONS) == 0
    session.expire_all()
    assert session.scalar(select(func.count()).select_from(Township)) == 18
    township = session.get(Township, "220382101")
    assert township.office_phone == "0434-7123456" and township.verified is True


# --- case numbers ------------------------------------------------------------------------------


def test_case_numbers_are_sequential_from_000001_in_china_time_year(session: Session, make_draft):
    numbers = [service.create_referral(session, draft(make_draft)).case_number for _ in range(3)]
    year = this_year()
    assert numbers == [f"SL-{year}-000001", f"SL-{year}-000002", f"SL-{year}-000003"]
    assert all(PATTERN.match(n) and CASE.match(n) for n in numbers)
    assert session.get(CaseCounter, year).last == 3


def test_case_number_year_is_the_year_in_china(session: Session):
    # 2030-12-31 16:30 UTC is already 2031-01-01 00:30 in China; 15:59 UTC is still 2030 there.
    late = datetime(2030, 12, 31, 16, 30, tzinfo=timezone.utc)
    early = datetime(2030, 12, 31, 15, 59, tzinfo=timezone.utc)
    assert next_case_number(session, late) == "SL-2031-000001"
    assert next_case_number(session, early) == "SL-2030-000001"
    assert next_case_number(session, late) == "SL-2031-000002"
    session.commit()
    assert {c.year: c.last for c in session.scalars(select(CaseCounter))} == {2030: 1, 2031: 2}


def test_twenty_concurrent_referrals_get_distinct_sequential_numbers(migrated: str, engine: Engine, make_draft):
    drafts = [draft(make_draft) for _ in range(20)]
    receipts = in_threads(engine, 20, lambda s, i: service.create_referral(s, drafts[i]))
    numbers = sorted(r.case_number for r in receipts)
    assert all(r.created for r in receipts)
    assert numbers == [f"SL-{this_year()}-{n:06d}" for n in range(1, 21)]
    with Session(engine) as session:
        stored = session.scalars(select(Referral.case_number)).all()
        assert sorted(stored) == numbers
        assert session.get(CaseCounter, this_year()).last == 20
        assert session.scalar(select(func.count()).select_from(ReferralEvent)) == 20


# --- idempotency -------------------------------------------------------------------------------


def test_same_idempotency_key_twice_gives_one_referral(session: Session, make_draft):
    payload = make_draft()
    first = service.create_referral(session, schemas.ReferralDraft.model_validate(payload))
    # a retry, even with a changed body, answers with the first referral
    second = service.create_referral(
        session, schemas.ReferralDraft.model_validate({**payload, "summary": "重发的内容"}))
    assert first.created is True and second.created is False
    assert second.case_number == first.case_number
    assert second.model_dump(exclude={"created"}) == first.model_dump(exclude={"created"})
    assert session.scalar(select(func.count()).select_from(Referral)) == 1
    assert session.scalars(select(Referral.summary)).one() == payload["summary"]


def test_concurrent_creates_with_the_same_key_make_one_referral(migrated: str, engine: Engine, make_draft):
    same = draft(make_draft)
    receipts = in_threads(engine, 8, lambda s, i: service.create_referral(s, same))
    assert sum(r.created for r in receipts) == 1
    assert len({r.case_number for r in receipts}) == 1
    with Session(engine) as session:
        [referral] = session.scalars(select(Referral)).all()
        assert referral.case_number == receipts[0].case_number == f"SL-{this_year()}-000001"
        assert len(referral.events) == 1
        # the losers' counter increments were rolled back: the sequence has no gap
        assert service.create_referral(session, draft(make_draft)).case_number == f"SL-{this_year()}-000002"


# --- creation details --------------------------------------------------------------------------


def test_created_referral_records_consent_event_and_masked_summary(session: Session, make_draft):
    summary = "身份证号220382199001011234，电话13912345678，银行卡6222021234567890123"
    receipt = service.create_referral(session, draft(make_draft, summary=summary))
    assert receipt.status == "pending" and receipt.status_label == "待受理"
    assert receipt.office.name == "双山镇人民政府社会救助窗口" and receipt.office.verified is False
    referral = session.scalars(select(Referral)).one()
    assert "220382199001011234" not in referral.summary and "220382********1234" in referral.summary
    assert "13912345678" not in referral.summary and "139****5678" in referral.summary
    assert "6222021234567890123" not in referral.summary
    assert referral.contact_phone == "13912345678"  # the contact field itself is kept for the clerk
    assert referral.consent_text and referral.consent_at is not None
    assert [(e.kind, e.to_status, e.actor) for e in referral.events] == [("created", "pending", "channel:web")]


def test_urgent_kind_is_always_urgent_and_unknown_township_is_refused(session: Session, make_draft):
    receipt = service.create_referral(session, draft(make_draft, kind="urgent", urgency="normal"))
    assert receipt.urgency == "urgent"
    with pytest.raises(IntakeError) as refused:
        service.create_referral(session, draft(make_draft, township_code="999999999"))
    assert (refused.value.status, refused.value.code) == (422, "unknown_township")
    session.rollback()
    assert session.scalar(select(func.count()).select_from(Referral)) == 1


def test_referral_without_township_goes_to_the_bureau(session: Session, make_draft):
    receipt = service.create_referral(session, draft(make_draft, kind="discovery", township_code=None,
                                                     contact_phone=None))
    assert receipt.office.township_code is None and "民政局" in receipt.office.name


# --- workflow ----------------------------------------------------------------------------------


def test_invalid_move_raises_and_records_nothing(session: Session, make_draft):
    case = service.create_referral(session, draft(make_draft)).case_number
    with pytest.raises(IntakeError) as refused:
        service.record_event(session, case, schemas.EventIn(actor="clerk:li", action="status", to_status="closed"))
    assert (refused.value.status, refused.value.code) == (409, "invalid_transition")
    session.rollback()
    session.expire_all()
    referral = session.scalars(select(Referral)).one()
    assert referral.status == "pending" and [e.kind for e in referral.events] == ["created"]


def test_unknown_case_is_not_found(session: Session):
    with pytest.raises(IntakeError) as missing:
        service.record_event(session, "SL-2000-000001", schemas.EventIn(actor="a", action="note", note="x"))
    assert missing.value.status == 404


# --- the resident's status look-up -------------------------------------------------------------


def test_the_status_look_up_words_the_next_step_as_its_caller_gives_it(session: Session, make_draft, kb):
    """The caller passes the knowledge base's sentences (policies/referral-notices.yml): here edited ones."""
    case = service.create_referral(session, draft(make_draft)).case_number
    steps = {**kb.referrals.next_step_texts, "pending": "乡镇窗口会给您打电话，请留意。",
             "transferred": "已转给{department}，他们会给您打电话。"}
    query = schemas.StatusLookup(case_number=case, phone="13912345678")
    assert service.lookup_status(session, query, False, steps).next_step == "乡镇窗口会给您打电话，请留意。"
    service.record_event(session, case, schemas.EventIn(actor="clerk:li", action="transfer", department="canlian",
                                                        note="重度残疾，属残联的两项补贴"))
    assert service.lookup_status(session, query, False, steps).next_step == "已转给残联，他们会给您打电话。"
