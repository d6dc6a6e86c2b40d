"""Telegram end to end: the real python-telegram-bot Application, polling or behind the webhook,
against the fake Bot API; what a person would see in their chat."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from models import InboundMessage, Order, Person
from models.base import OrderStatus, OutboxStatus, Role
from models.clock import FrozenClock
from models.db import Database
from models.messages import OutboxMessage
from tests.builders import residence
from tests.harness import WEBHOOK_SECRET, RunningBot, settings_for, wait_until

JEANNE, JEANNE_TG = "+33611111111", 7001
PETER, PETER_TG = "+33622222222", 7002
COORD, COORD_TG = "+33633333333", 7003


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(datetime(2026, 11, 24, 9, 0, tzinfo=UTC))


def _prepare(db_url: str, config, clock) -> None:
    db = Database(db_url)
    res = residence(db, config, clock)
    res.add(JEANNE, "Mme Jeanne Pouli", {Role.TENANT}, tenant={"building": "C", "floor": 3})
    res.add(PETER, "Peter Collins", {Role.TENANT}, lang="en", telegram_id=PETER_TG)
    res.add(COORD, "Claire", {Role.COORDINATOR}, telegram_id=COORD_TG)
    db.dispose()


@pytest.fixture
def bot(db_url, fake_telegram, fake_twilio, clock, config):
    _prepare(db_url, config, clock)
    with RunningBot(
        settings_for(db_url, telegram=fake_telegram, twilio=fake_twilio), clock
    ) as running:
        yield running


@pytest.fixture
def hook(db_url, fake_telegram, clock, config):
    _prepare(db_url, config, clock)
    settings = settings_for(db_url, telegram=fake_telegram, telegram_mode="webhook")
    with RunningBot(settings, clock) as running:
        yield running


def texts(messages) -> list[str]:
    return [m.text for m in messages]


def _count(bot: RunningBot, model, *where) -> int:
    with bot.rt.db.transaction() as s:
        return s.scalar(sa.select(sa.func.count()).select_from(model).where(*where)) or 0


def test_start_offers_the_contact_button_and_sharing_links_the_account(bot, fake_telegram) -> None:
    fake_telegram.push_text(JEANNE_TG, "/start")
    [welcome] = fake_telegram.wait_sent(JEANNE_TG)
    assert "Partager mon numéro" in welcome.text
    [button] = fake_telegram.reply_keyboard(welcome)
    assert button.get("request_contact") is True
    fake_telegram.push_contact(JEANNE_TG, "33611111111")  # Telegram sends it without "+"
    [linked] = fake_telegram.wait_sent(JEANNE_TG, after=1)
    assert "Mme Jeanne Pouli" in linked.text and "reconnais" in linked.text
    assert fake_telegram.removes_keyboard(linked)
    with bot.rt.db.transaction() as s:
        assert s.scalar(sa.select(Person.telegram_id).where(Person.phone == JEANNE)) == JEANNE_TG


def test_someone_elses_contact_links_nothing(bot, fake_telegram) -> None:
    fake_telegram.push_contact(JEANNE_TG, "33611111111", contact_user_id=9999)
    [reply] = fake_telegram.wait_sent(JEANNE_TG)
    assert "pas le vôtre" in reply.text
    with bot.rt.db.transaction() as s:
        assert s.scalar(sa.select(Person.telegram_id).where(Person.phone == JEANNE)) is None


def test_order_then_buttons_to_add(bot, fake_telegram) -> None:
    fake_telegram.push_text(PETER_TG, "2 loaves tomorrow please")
    [confirmed] = fake_telegram.wait_sent(PETER_TG)
    assert confirmed.text.startswith("Noted: 2 loaves, Wednesday 25 November.")
    fake_telegram.push_text(PETER_TG, "one more loaf tomorrow")
    [ask] = fake_telegram.wait_sent(PETER_TG, after=1)
    assert fake_telegram.buttons(ask) == [("Add", "add"), ("Replace", "replace")]
    fake_telegram.push_callback(PETER_TG, ask.message, "add")
    [done] = wait_until(  # the button's answer comes first: wait for the message itself
        lambda: [
            m
            for m in fake_telegram.wait_sent(PETER_TG, after=2, timeout=0.2, settle=0)
            if m.method == "sendMessage"
        ],
        timeout=20,
    )
    assert "3 loaves" in done.text
    assert fake_telegram.calls_to("editMessageReplyMarkup")  # the buttons were taken away
    with bot.rt.db.transaction() as s:
        [order] = s.scalars(sa.select(Order)).all()
        assert order.items == {"bread": 3}


def _open_orders(bot: RunningBot) -> dict[str, dict[str, int]]:
    with bot.rt.db.transaction() as s:
        rows = s.scalars(sa.select(Order).where(Order.status != OrderStatus.CANCELLED)).all()
        return {o.delivery_date.isoformat(): o.items for o in rows if o.items}


def test_two_days_swapped_then_taken_back_over_telegram(bot, fake_telegram) -> None:
    """The conversation's memory works through the real client too: "I got them the wrong
    way round" exchanges what was asked, "as first planned" puts it back."""
    fake_telegram.push_text(PETER_TG, "2 loaves on Thursday and a pack of water on Friday please")
    [booked] = fake_telegram.wait_sent(PETER_TG)
    assert "Thursday 26 November" in booked.text and "Friday 27 November" in booked.text
    fake_telegram.push_text(PETER_TG, "Sorry, I got them the wrong way round")
    [swapped] = fake_telegram.wait_sent(PETER_TG, after=1)
    assert swapped.text.startswith("Swapped.")
    assert _open_orders(bot) == {"2026-11-26": {"water": 1}, "2026-11-27": {"bread": 2}}
    fake_telegram.push_text(PETER_TG, "No, please keep Thursday and Friday as first planned")
    [back] = fake_telegram.wait_sent(PETER_TG, after=2)
    assert "Thursday 26 November: 2 loaves" in back.text, back.text
    assert _open_orders(bot) == {"2026-11-26": {"bread": 2}, "2026-11-27": {"water": 1}}


def _habits(bot: RunningBot, phone: str) -> dict[str, dict[str, int]]:
    from models.orders import standing_orders

    with bot.rt.db.transaction() as s:
        person = s.scalar(sa.select(Person).where(Person.phone == phone))
        return standing_orders(s, person.id)


def test_a_weekly_change_taken_back_two_days_later_over_telegram(bot, fake_telegram) -> None:
    """The memory of the conversation keeps the habits as they were before their last change:
    two days and one more change later, "keep my Wednesday bread after all" gives Wednesday its
    two loaves back (not the nothing it had before the first message), Tuesday stays off."""
    fake_telegram.push_text(PETER_TG, "From now on 2 loaves every Monday, Tuesday and Wednesday")
    fake_telegram.wait_sent(PETER_TG)
    assert set(_habits(bot, PETER)) == {"mon", "tue", "wed"}
    bot.clock.advance(timedelta(days=3))
    fake_telegram.push_text(PETER_TG, "No more bread on Wednesdays please, every week")
    fake_telegram.wait_sent(PETER_TG, after=1)
    fake_telegram.push_text(PETER_TG, "And no bread on Tuesdays either, every week")
    fake_telegram.wait_sent(PETER_TG, after=2)
    assert set(_habits(bot, PETER)) == {"mon"}
    bot.clock.advance(timedelta(days=2))
    fake_telegram.push_text(
        PETER_TG, "Actually I'll keep my Wednesday bread every week after all, I was wrong."
    )
    [back] = fake_telegram.wait_sent(PETER_TG, after=3)
    assert "Wednesday" in back.text, back.text
    assert _habits(bot, PETER) == {"mon": {"bread": 2}, "wed": {"bread": 2}}


def test_help_has_menu_buttons_and_stickers_get_an_answer(bot, fake_telegram) -> None:
    fake_telegram.push_text(PETER_TG, "/help")
    [helped] = fake_telegram.wait_sent(PETER_TG)
    assert ("My deliveries", "menu:list") in fake_telegram.buttons(helped)
    fake_telegram.push_sticker(PETER_TG)
    [sticker] = fake_telegram.wait_sent(PETER_TG, after=1)
    assert "written messages" in sticker.text


def test_blocked_bot_falls_back_to_sms_and_tells_coordinators(
    bot, fake_telegram, fake_twilio
) -> None:
    fake_telegram.block(PETER_TG)
    with bot.rt.db.transaction() as s:
        from handlers.notify import tell
        from handlers.types import Reply

        person = s.scalar(sa.select(Person).where(Person.phone == PETER))
        tell(s, bot.bot.service.ctx, person, "test:blocked", Reply("Reminder", "en"))
    bot.bot.dispatcher.wake.set()
    [sms] = fake_twilio.wait_messages(PETER, 1, timeout=10)
    assert sms.body == "Reminder"
    assert wait_until(
        lambda: any("Peter Collins" in m.text for m in fake_telegram.messages_to(COORD_TG))
    )
    with bot.rt.db.transaction() as s:
        assert (
            s.scalar(sa.select(Person.telegram_blocked_at).where(Person.phone == PETER)) is not None
        )


def test_rate_limited_sends_wait_and_arrive_once(bot, fake_telegram) -> None:
    fake_telegram.rate_limit(3, retry_after=1)
    with bot.rt.db.transaction() as s:
        from handlers.notify import tell
        from handlers.types import Reply

        person = s.scalar(sa.select(Person).where(Person.phone == PETER))
        for i in range(3):
            tell(s, bot.bot.service.ctx, person, f"test:429:{i}", Reply(f"Notice {i}", "en"))
    for _ in range(40):
        bot.bot.dispatcher.wake.set()
        if len(fake_telegram.messages_to(PETER_TG)) >= 3:
            break
        bot.clock.advance(timedelta(minutes=6))
        wait_until(lambda: False, timeout=0.3)
    assert texts(fake_telegram.messages_to(PETER_TG)) == ["Notice 0", "Notice 1", "Notice 2"]


def test_webhook_checks_the_secret_and_acts_once_per_update(hook, fake_telegram) -> None:
    assert fake_telegram.webhook["url"] == "https://entraide.example/telegram/webhook"
    update = fake_telegram.make_update(PETER_TG, "2 loaves tomorrow")
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    assert (
        hook.http.post(
            "/telegram/webhook", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": "nope"}
        ).status_code
        == 403
    )
    assert hook.http.post("/telegram/webhook", json=update).status_code == 403
    assert _count(hook, InboundMessage) == 0
    assert hook.http.post("/telegram/webhook", json=update, headers=headers).status_code == 200
    [reply] = fake_telegram.wait_sent(PETER_TG)
    assert reply.text.startswith("Noted: 2 loaves")
    assert hook.http.post("/telegram/webhook", json=update, headers=headers).status_code == 200
    assert fake_telegram.wait_sent(PETER_TG, after=1, timeout=2) == []
    assert _count(hook, Order) == 1


def test_webhook_acknowledges_what_it_cannot_read(hook, fake_telegram) -> None:
    headers = {
        "X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET,
        "Content-Type": "application/json",
    }
    assert (
        hook.http.post("/telegram/webhook", content=b"{not json", headers=headers).status_code
        == 200
    )
    odd = {
        "update_id": 991,
        "edited_message": {
            "message_id": 3,
            "date": 0,
            "chat": {"id": PETER_TG, "type": "private"},
            "from": {"id": PETER_TG, "is_bot": False, "first_name": "P"},
            "text": "x",
        },
    }
    assert hook.http.post("/telegram/webhook", json=odd, headers=headers).status_code == 200
    assert (
        hook.http.post("/telegram/webhook", json={"update_id": "x"}, headers=headers).status_code
        == 200
    )
    assert _count(hook, InboundMessage) == 0 and fake_telegram.messages_to(PETER_TG) == []


def test_nothing_queued_for_people_who_stopped(bot, fake_telegram) -> None:
    fake_telegram.push_text(PETER_TG, "STOP")
    [stop] = fake_telegram.wait_sent(PETER_TG)
    assert "START" in stop.text
    with bot.rt.db.transaction() as s:
        from handlers.notify import tell
        from handlers.types import Reply

        person = s.scalar(sa.select(Person).where(Person.phone == PETER))
        assert not tell(s, bot.bot.service.ctx, person, "test:after-stop", Reply("x", "en"))
    assert (
        _count(
            bot,
            OutboxMessage,
            OutboxMessage.status == OutboxStatus.PENDING,
            OutboxMessage.person_id.is_not(None),
            OutboxMessage.kind != "coordinator",
        )
        == 0
    )


def test_an_answer_that_never_left_is_sent_once_by_the_outbox(hook, fake_telegram) -> None:
    """The process died between committing a message and sending its answer: the answer is
    stored, so the outbox sends it (once) after the grace period; Telegram's own retry of the
    update does not act twice."""
    from handlers.inbound import handle_or_replay
    from handlers.types import Inbound

    msg = Inbound(
        channel="telegram",
        external_id="424242",
        address=str(PETER_TG),
        text="2 loaves tomorrow",
        received_at=hook.clock.now(),
        telegram_id=PETER_TG,
    )
    service = hook.bot.service
    handle_or_replay(hook.rt.db.call, service.ctx, msg)  # committed, never sent: then a crash
    assert _count(hook, Order) == 1 and fake_telegram.messages_to(PETER_TG) == []
    hook.bot.dispatcher.wake.set()
    assert fake_telegram.wait_sent(PETER_TG, timeout=1.5) == []  # within the grace: a live worker
    hook.clock.advance(timedelta(minutes=11))
    hook.bot.dispatcher._swept = float("-inf")  # the next look, without waiting a minute
    hook.bot.dispatcher.wake.set()
    [answer] = fake_telegram.wait_sent(PETER_TG)
    assert answer.text.startswith("Noted: 2 loaves")
    hook.bot.dispatcher._swept = float("-inf")
    hook.bot.dispatcher.wake.set()
    assert fake_telegram.wait_sent(PETER_TG, after=1, timeout=2) == []
    with hook.rt.db.transaction() as s:
        assert s.scalar(sa.select(InboundMessage.replied_at)) is not None


def test_a_failed_answer_goes_through_the_outbox_from_the_part_not_sent(
    hook, fake_telegram
) -> None:
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    fake_telegram.fail(1, status=502)
    update = fake_telegram.make_update(PETER_TG, "2 loaves tomorrow")
    assert hook.http.post("/telegram/webhook", json=update, headers=headers).status_code == 200
    assert wait_until(lambda: _count(hook, OutboxMessage) == 1)
    hook.clock.advance(timedelta(minutes=1))
    hook.bot.dispatcher.wake.set()
    [answer] = fake_telegram.wait_sent(PETER_TG)
    assert answer.text.startswith("Noted: 2 loaves")
    assert fake_telegram.wait_sent(PETER_TG, after=1, timeout=1.5) == []


def test_a_direct_answer_that_fails_twice_is_tried_again_within_a_minute(
    hook, fake_telegram
) -> None:
    """The answer fails as it leaves, and again from the outbox (a connection reset): the tenant
    is waiting, so the second try comes 20 s later, not after courier's ten minutes."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    fake_telegram.fail(2, status=502)
    update = fake_telegram.make_update(PETER_TG, "2 loaves tomorrow")
    assert hook.http.post("/telegram/webhook", json=update, headers=headers).status_code == 200
    assert wait_until(lambda: _count(hook, OutboxMessage) == 1)
    hook.clock.advance(timedelta(minutes=1))
    hook.bot.dispatcher.wake.set()  # the outbox's first try fails too

    def tried() -> OutboxMessage | None:
        with hook.rt.db.transaction() as s:
            row = s.scalars(sa.select(OutboxMessage)).one()
            s.expunge(row)
            return row if row.attempts >= 1 and row.status == "pending" else None

    assert wait_until(tried)
    row = tried()
    assert row is not None and row.next_attempt_at - hook.clock.now() <= timedelta(seconds=20)
    hook.clock.advance(timedelta(seconds=21))
    hook.bot.dispatcher.wake.set()
    [answer] = fake_telegram.wait_sent(PETER_TG)
    assert answer.text.startswith("Noted: 2 loaves")


def test_answers_leave_in_the_order_of_the_messages(hook, fake_telegram) -> None:
    """Acknowledged first, sent just after: one chat's answers still arrive in order."""
    headers = {"X-Telegram-Bot-Api-Secret-Token": WEBHOOK_SECRET}
    days = ["Wednesday", "Thursday", "Friday", "Saturday", "Monday"]
    for n, day in enumerate(days, start=1):
        update = fake_telegram.make_update(PETER_TG, f"{n} loaves {day}")
        assert hook.http.post("/telegram/webhook", json=update, headers=headers).status_code == 200
    assert wait_until(lambda: len(fake_telegram.messages_to(PETER_TG)) >= len(days))
    got = [m.text for m in fake_telegram.messages_to(PETER_TG)]
    assert [t.split(",")[0] for t in got] == [
        f"Noted: {n} loa{'f' if n == 1 else 'ves'}" for n in range(1, 6)
    ], got


def test_after_a_crash_only_messages_whose_call_began_are_in_doubt(bot, fake_telegram) -> None:
    """Two rows left `sending` by a process that died: one was still waiting its turn (sent now,
    once), the other's call had begun (Telegram cannot be asked: counted as sent, coordinators
    told, never sent twice)."""
    from handlers.notify import tell
    from handlers.types import Reply

    with bot.rt.db.transaction() as s:
        person = s.scalar(sa.select(Person).where(Person.phone == PETER))
        for i in range(2):
            tell(s, bot.bot.service.ctx, person, f"test:crash:{i}", Reply(f"Notice {i}", "en"))
        rows = s.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)).all()
        for row in rows:
            row.status, row.attempts = OutboxStatus.SENDING, 1
            row.next_attempt_at = bot.clock.now() - timedelta(seconds=1)  # lease over
        rows[0].started_at = bot.clock.now() - timedelta(minutes=3)
    bot.bot.dispatcher._recovered = False  # as a process starting up
    bot.bot.dispatcher.wake.set()
    [notice] = fake_telegram.wait_sent(PETER_TG)
    assert notice.text == "Notice 1"
    assert wait_until(
        lambda: any("interrompu" in m.text for m in fake_telegram.messages_to(COORD_TG))
    )
    with bot.rt.db.transaction() as s:
        states = s.scalars(
            sa.select(OutboxMessage.status).where(OutboxMessage.kind != "coordinator")
        )
        assert set(states) == {OutboxStatus.SENT}
