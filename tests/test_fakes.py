"""The fake Telegram and Twilio servers, proved against the real client libraries.

If these pass, a test that drives python-telegram-bot or twilio against the fakes sees what
it would see in production: the same objects, the same exceptions, the same signatures.
"""

from __future__ import annotations

import asyncio
import datetime as dtm
import json
import time
from collections.abc import AsyncIterator
from urllib.parse import parse_qsl

import httpx
import pytest
import requests
from telegram import (
    Bot,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    Update,
)
from telegram.constants import ParseMode
from telegram.error import BadRequest, Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter
from telegram.ext import ApplicationBuilder, CommandHandler, ContextTypes, MessageHandler, filters
from telegram.warnings import PTBDeprecationWarning
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.request_validator import RequestValidator
from twilio.rest import Client

from tests.fakes.fixtures import (
    fake_telegram,
    fake_twilio,
    recording_server,
    twilio_client,
    twilio_client_for,
)
from tests.fakes.recorder import RecordingServer
from tests.fakes.sms_segments import analyse, encoding, segments, split
from tests.fakes.telegram_api import PNG_1X1, FakeBotAPI
from tests.fakes.twilio_api import FakeTwilioAPI
from tests.fakes.twilio_webhooks import (
    AUTH_TOKEN,
    TWILIO_NUMBER,
    inbound_params,
    signed_headers,
)

__all__ = ["fake_telegram", "fake_twilio", "recording_server", "twilio_client"]  # fixtures

TENANT = 7001
PHONE = "+33612345678"


@pytest.fixture(autouse=True)
def _ptb_timedelta(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opt in to PTB's timedelta periods: without it RetryAfter warns as it is built (see below)."""
    monkeypatch.setenv("PTB_TIMEDELTA", "true")


@pytest.fixture
async def bot(fake_telegram: FakeBotAPI) -> AsyncIterator[Bot]:
    """A real PTB Bot talking to the fake, initialised (getMe) and shut down (httpx closed)."""
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url) as b:
        yield b


# ---- Telegram: sending ---------------------------------------------------------------------


async def test_send_message_with_inline_keyboard_is_recorded(
    fake_telegram: FakeBotAPI, bot: Bot
) -> None:
    keyboard = InlineKeyboardMarkup(
        [
            [InlineKeyboardButton("2 pains", callback_data="bread:2")],
            [InlineKeyboardButton("Annuler", callback_data="cancel")],
        ]
    )
    msg = await bot.send_message(TENANT, "Combien de pains ?", reply_markup=keyboard)

    assert msg.message_id == 1 and msg.chat.id == TENANT and msg.from_user.is_bot
    assert msg.reply_markup == keyboard  # echoed back and de_json'ed by PTB
    [sent] = fake_telegram.messages_to(TENANT)
    assert sent.method == "sendMessage" and sent.text == "Combien de pains ?"
    assert fake_telegram.buttons(sent) == [("2 pains", "bread:2"), ("Annuler", "cancel")]
    assert fake_telegram.calls_to("getMe")[0].status == 200
    await bot.send_message(TENANT, "12")  # form values stay text unless the field is typed
    assert fake_telegram.messages_to(TENANT)[-1].text == "12"


async def test_reply_keyboard_with_contact_request_is_readable(
    fake_telegram: FakeBotAPI, bot: Bot
) -> None:
    markup = ReplyKeyboardMarkup(
        [[KeyboardButton("Partager mon numéro", request_contact=True)]], one_time_keyboard=True
    )
    msg = await bot.send_message(TENANT, "Votre numéro ?", reply_markup=markup)

    assert msg.reply_markup is None  # Telegram only echoes inline keyboards
    [sent] = fake_telegram.wait_sent(TENANT, settle=0)
    assert fake_telegram.reply_keyboard(sent) == [
        {"text": "Partager mon numéro", "request_contact": True}
    ]


async def test_document_and_photo_arrive_whole_through_multipart(
    fake_telegram: FakeBotAPI, bot: Bot
) -> None:
    csv = "adresse;pain;eau\nBât. A, appt 12;2;1\n".encode()
    doc = await bot.send_document(
        TENANT, csv, filename="tournée-jeudi.csv", caption="Tournée de jeudi"
    )
    photo = await bot.send_photo(TENANT, PNG_1X1, caption="Le sac à pain")

    sent_doc, sent_photo = fake_telegram.messages_to(TENANT)
    assert sent_doc.document.filename == "tournée-jeudi.csv"
    assert sent_doc.document.content == csv and sent_doc.text == "Tournée de jeudi"
    assert sent_photo.photo.head.startswith(b"\x89PNG\r\n\x1a\n")
    assert sent_photo.photo.size == len(PNG_1X1)
    assert doc.document.file_name == "tournée-jeudi.csv" and doc.document.file_size == len(csv)
    assert (photo.photo[-1].width, photo.photo[-1].height) == (1, 1)
    assert fake_telegram.calls_to("sendDocument")[0].params["chat_id"] == TENANT


async def test_edits_callbacks_and_the_errors_telegram_gives_for_them(
    fake_telegram: FakeBotAPI, bot: Bot
) -> None:
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="yes")]])
    msg = await bot.send_message(TENANT, "Confirmer ?", reply_markup=keyboard)

    edited = await bot.edit_message_text("Confirmé", TENANT, msg.message_id)
    assert edited.text == "Confirmé" and edited.edit_date is not None
    with pytest.raises(BadRequest, match=r"(?i)message is not modified"):
        await bot.edit_message_text("Confirmé", TENANT, msg.message_id)
    with pytest.raises(BadRequest, match=r"(?i)message to edit not found"):
        await bot.edit_message_text("?", TENANT, 999)

    fake_telegram.push_callback(TENANT, fake_telegram.messages_to(TENANT)[0], "yes")
    [update] = await bot.get_updates(timeout=0)
    query = update.callback_query
    assert query.message.text == "Confirmé"  # the message as it is now
    assert await bot.answer_callback_query(query.id, text="Merci")
    with pytest.raises(BadRequest, match=r"(?i)query is too old"):
        await bot.answer_callback_query(query.id)
    assert fake_telegram.callback_answers[query.id]["text"] == "Merci"
    assert [s.method for s in fake_telegram.messages_to(TENANT)] == [
        "sendMessage",
        "editMessageText",
    ]


async def test_text_telegram_refuses_raises_bad_request(
    fake_telegram: FakeBotAPI, bot: Bot
) -> None:
    with pytest.raises(BadRequest, match=r"(?i)character '\.' is reserved"):
        await bot.send_message(TENANT, "Livraison jeudi.", parse_mode=ParseMode.MARKDOWN_V2)
    ok = await bot.send_message(TENANT, "*Livraison* jeudi\\.", parse_mode=ParseMode.MARKDOWN_V2)
    assert ok.text == "Livraison jeudi."
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await bot.send_message(TENANT, "Mme <Dupont>", parse_mode=ParseMode.HTML)
    html = await bot.send_message(TENANT, "<b>Mme &lt;Dupont&gt;</b>", parse_mode=ParseMode.HTML)
    assert html.text == "Mme <Dupont>"
    with pytest.raises(BadRequest, match=r"(?i)message is too long"):
        await bot.send_message(TENANT, "x" * 4097)
    with pytest.raises(BadRequest, match=r"(?i)message text is empty"):
        await bot.send_message(TENANT, " ")
    assert fake_telegram.count_sent(TENANT) == 2


async def test_commands_round_trip(fake_telegram: FakeBotAPI, bot: Bot) -> None:
    await bot.set_my_commands([("commander", "Commander du pain ou de l'eau")], language_code="fr")
    [command] = await bot.get_my_commands(language_code="fr")
    assert (command.command, command.description) == ("commander", "Commander du pain ou de l'eau")
    assert await bot.get_my_commands() == ()
    assert await bot.send_chat_action(TENANT, "typing")
    assert fake_telegram.sent == []  # a chat action is not a message


async def test_a_json_body_is_understood_too(fake_telegram: FakeBotAPI) -> None:
    async with httpx.AsyncClient() as client:
        r = await client.post(
            f"{fake_telegram.base_url}{fake_telegram.token}/sendMessage",
            json={"chat_id": str(TENANT), "text": "Bonjour"},
        )
    assert r.json()["result"]["chat"]["id"] == TENANT
    assert fake_telegram.messages_to(TENANT)[0].text == "Bonjour"


# ---- Telegram: receiving ------------------------------------------------------------------


async def test_get_updates_returns_text_contact_and_callback_as_ptb_objects(
    fake_telegram: FakeBotAPI, bot: Bot
) -> None:
    prompt = await bot.send_message(
        TENANT,
        "Du pain demain ?",
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton("Oui", callback_data="ok")]]),
    )
    fake_telegram.push_text(TENANT, "/start", first="Jeanne", lang="fr")
    fake_telegram.push_contact(TENANT, PHONE)
    fake_telegram.push_contact(TENANT, "+33699999999", contact_user_id=8002)  # forwarded card
    fake_telegram.push_callback(TENANT, fake_telegram.messages_to(TENANT)[0], "ok")

    updates = await bot.get_updates(timeout=1)
    start, own, forwarded, press = updates
    assert [u.update_id for u in updates] == [1001, 1002, 1003, 1004]
    assert start.message.text == "/start" and start.message.from_user.language_code == "fr"
    assert start.message.entities[0].type == "bot_command"
    assert own.message.contact.phone_number == PHONE.lstrip("+")  # Telegram drops the "+"
    assert own.message.contact.user_id == own.message.from_user.id == TENANT
    assert forwarded.message.contact.user_id == 8002
    assert press.callback_query.data == "ok"
    assert press.callback_query.message.message_id == prompt.message_id
    # message_id is per chat: the bot's prompt was 1, the user's messages follow
    assert [u.message.message_id for u in updates[:3]] == [2, 3, 4]


async def test_get_updates_long_polls_and_forgets_confirmed_updates(
    fake_telegram: FakeBotAPI, bot: Bot
) -> None:
    started = time.monotonic()
    assert await bot.get_updates(timeout=30) == ()  # capped: no 30 s wait in tests
    assert time.monotonic() - started < 2.5

    async def push_later() -> None:
        await asyncio.sleep(0.3)
        fake_telegram.push_text(TENANT, "2 pains jeudi")

    pusher = asyncio.create_task(push_later())
    [update] = await bot.get_updates(timeout=5)
    await pusher
    assert update.message.text == "2 pains jeudi"
    assert fake_telegram.pending_updates == 1  # not confirmed yet
    assert await bot.get_updates(offset=update.update_id + 1, timeout=0) == ()
    assert fake_telegram.pending_updates == 0


async def test_updates_a_text_bot_does_not_handle(fake_telegram: FakeBotAPI, bot: Bot) -> None:
    fake_telegram.push_sticker(TENANT)
    fake_telegram.push_photo(TENANT, caption="ma porte")
    fake_telegram.push_blocked(TENANT)

    sticker, photo, blocked = await bot.get_updates(timeout=0)
    assert sticker.message.sticker is not None and sticker.message.text is None
    assert photo.message.caption == "ma porte" and len(photo.message.photo) == 3
    file = await bot.get_file(photo.message.photo[-1].file_id)
    assert file.file_path.endswith(photo.message.photo[-1].file_id)
    assert blocked.my_chat_member.new_chat_member.status == "kicked"
    with pytest.raises(Forbidden):
        await bot.send_message(TENANT, "Bonjour")


async def test_application_polls_handles_and_replies(fake_telegram: FakeBotAPI) -> None:
    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Ask for the phone number."""
        button = KeyboardButton("Partager mon numéro", request_contact=True)
        await update.message.reply_text("Bonjour !", reply_markup=ReplyKeyboardMarkup([[button]]))

    async def contact(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Thank for the number."""
        await update.message.reply_text(f"Merci, {update.message.contact.phone_number}")

    app = ApplicationBuilder().token(fake_telegram.token).base_url(fake_telegram.base_url).build()
    app.add_handler(CommandHandler("start", start))
    app.add_handler(MessageHandler(filters.CONTACT, contact))
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0, timeout=dtm.timedelta(seconds=1))
        try:
            fake_telegram.push_text(TENANT, "/start")
            [hello] = await fake_telegram.wait_sent_async(TENANT, settle=0.2)
            assert hello.text == "Bonjour !" and fake_telegram.reply_keyboard(hello)
            fake_telegram.push_contact(TENANT, PHONE)
            [thanks] = await fake_telegram.wait_sent_async(TENANT, after=1, settle=0.2)
            assert thanks.text == "Merci, 33612345678"
            # an outage mid long-poll: PTB logs, backs off, and polls again once it is back
            fake_telegram.go_down()
            await asyncio.sleep(0.3)
            fake_telegram.come_back()
            fake_telegram.push_text(TENANT, "/start")
            [again] = await fake_telegram.wait_sent_async(TENANT, after=2, settle=0.2)
            assert again.text == "Bonjour !"
        finally:
            await app.updater.stop()
            await app.stop()
    assert fake_telegram.calls_to("deleteWebhook")  # PTB clears any webhook before polling


async def test_webhook_mode(
    fake_telegram: FakeBotAPI, bot: Bot, recording_server: RecordingServer
) -> None:
    url = f"{recording_server.url}/telegram"
    assert await bot.set_webhook(url, secret_token="s3cret-Token_1")
    info = await bot.get_webhook_info()
    assert info.url == url and info.pending_update_count == 0
    with pytest.raises(Conflict, match="webhook is active"):
        await bot.get_updates()
    with pytest.raises(BadRequest, match=r"(?i)secret token"):
        await bot.set_webhook(url, secret_token="not allowed!")

    update = fake_telegram.make_update(TENANT, "de l'eau")
    assert fake_telegram.pending_updates == 0  # made, not queued
    assert await asyncio.to_thread(fake_telegram.post_webhook, update) == 200
    [req] = recording_server.requests
    assert req.header("X-Telegram-Bot-Api-Secret-Token") == "s3cret-Token_1"
    assert Update.de_json(json.loads(req.body), bot).message.text == "de l'eau"

    assert await bot.delete_webhook()
    assert await bot.get_updates(timeout=0) == ()


async def test_a_second_poller_gets_conflict(fake_telegram: FakeBotAPI, bot: Bot) -> None:
    async with Bot(fake_telegram.token, base_url=fake_telegram.base_url) as other:

        async def later() -> tuple[Update, ...]:
            await asyncio.sleep(0.2)
            return await other.get_updates(timeout=0)

        first, second = await asyncio.gather(
            bot.get_updates(timeout=1), later(), return_exceptions=True
        )
    assert isinstance(first, Conflict) and "only one bot instance" in str(first)
    assert second == ()


# ---- Telegram: faults ---------------------------------------------------------------------


async def test_blocked_chat_raises_forbidden(fake_telegram: FakeBotAPI, bot: Bot) -> None:
    fake_telegram.block(TENANT)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await bot.send_message(TENANT, "Bonjour")
    assert await bot.send_message(8002, "Bonjour")  # other chats unaffected
    fake_telegram.unblock(TENANT)
    assert await bot.send_message(TENANT, "Bonjour")


async def test_rate_limit_raises_retry_after(fake_telegram: FakeBotAPI, bot: Bot) -> None:
    fake_telegram.rate_limit(1, retry_after=1)
    with pytest.raises(RetryAfter) as caught:
        await bot.send_message(TENANT, "Bonjour")
    assert caught.value.retry_after == dtm.timedelta(seconds=1)
    assert await bot.send_message(TENANT, "Bonjour")  # only the next n calls
    assert [c.status for c in fake_telegram.calls_to("sendMessage")] == [429, 200]


async def test_without_ptb_timedelta_retry_after_cannot_even_be_raised(
    fake_telegram: FakeBotAPI, bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PTB 22 reads its own deprecated int ``retry_after`` in RetryAfter.__init__.

    Under ``filterwarnings = error`` the deprecation warning replaces the RetryAfter, so
    code that catches RetryAfter never sees it. Tests need PTB_TIMEDELTA=true.
    """
    monkeypatch.delenv("PTB_TIMEDELTA")
    fake_telegram.rate_limit(1)
    with pytest.raises(PTBDeprecationWarning, match="retry_after"):
        await bot.send_message(TENANT, "Bonjour")


async def test_server_errors_raise_network_error(fake_telegram: FakeBotAPI, bot: Bot) -> None:
    fake_telegram.fail(1, status=500)
    with pytest.raises(NetworkError, match="Internal Server Error"):
        await bot.send_message(TENANT, "Bonjour")
    fake_telegram.fail(1, status=502)
    with pytest.raises(NetworkError, match="502") as caught:
        await bot.send_message(TENANT, "Bonjour")
    assert caught.value.__cause__ is not None  # nginx's HTML page is not JSON
    assert await bot.send_message(TENANT, "Bonjour")


async def test_go_down_then_come_back_on_the_same_port(fake_telegram: FakeBotAPI, bot: Bot) -> None:
    assert await bot.send_message(TENANT, "avant")  # a pooled keep-alive connection exists
    port = fake_telegram.port
    fake_telegram.go_down()
    with pytest.raises(NetworkError):
        await bot.send_message(TENANT, "pendant")
    fake_telegram.come_back()
    assert fake_telegram.port == port
    assert await bot.send_message(TENANT, "après")
    assert [s.text for s in fake_telegram.messages_to(TENANT)] == ["avant", "après"]


async def test_go_down_cuts_a_long_poll_in_flight(fake_telegram: FakeBotAPI, bot: Bot) -> None:
    poll = asyncio.create_task(bot.get_updates(timeout=1))
    await fake_telegram.wait_calls_async("getUpdates")
    await asyncio.to_thread(fake_telegram.go_down)
    with pytest.raises(NetworkError):  # no answer at all, not an empty one
        await poll
    fake_telegram.come_back()
    assert await bot.get_updates(timeout=0) == ()


async def test_per_chat_pacing(fake_telegram: FakeBotAPI, bot: Bot) -> None:
    await bot.send_message(TENANT, "un")
    await bot.send_message(TENANT, "deux")
    assert len(fake_telegram.send_times(TENANT)) == 2
    assert fake_telegram.min_gap(TENANT) < 1.0  # a burst: what the outbox must not do

    fake_telegram.enforce_chat_pacing(min_interval=1.0, retry_after=1)
    with pytest.raises(RetryAfter):
        await bot.send_message(TENANT, "trois")
    assert await bot.send_message(8002, "ailleurs")  # the limit is per chat


async def test_wrong_token_is_unauthorized(fake_telegram: FakeBotAPI) -> None:
    with pytest.raises(InvalidToken):
        async with Bot("999:wrong", base_url=fake_telegram.base_url):
            pass


async def test_require_start_refuses_unknown_private_chats() -> None:
    strict = FakeBotAPI(require_start=True)
    with strict:
        async with Bot(strict.token, base_url=strict.base_url) as b:
            with pytest.raises(Forbidden, match="can't initiate conversation"):
                await b.send_message(TENANT, "Bonjour")
            strict.push_text(TENANT, "/start")
            assert await b.send_message(TENANT, "Bonjour")


# ---- Twilio ---------------------------------------------------------------------------------


def test_create_records_the_message_and_returns_its_sid(
    fake_twilio: FakeTwilioAPI, twilio_client: Client
) -> None:
    msg = twilio_client.messages.create(
        to=PHONE,
        from_=TWILIO_NUMBER,
        body="Votre pain arrive jeudi 26 novembre.",
        status_callback="https://entraide.example/sms/status",
    )
    assert msg.sid.startswith("SM") and len(msg.sid) == 34
    assert msg.status == "queued" and msg.num_segments == "1" and msg.to == PHONE
    assert msg.date_created.tzinfo is not None  # RFC 2822 parsed by twilio
    [sent] = fake_twilio.messages_to(PHONE)
    assert (sent.sid, sent.from_, sent.segments) == (msg.sid, TWILIO_NUMBER, 1)
    assert sent.status_callback == "https://entraide.example/sms/status"
    assert twilio_client.messages(msg.sid).fetch().body == sent.body


def test_messaging_service_and_segment_count(
    fake_twilio: FakeTwilioAPI, twilio_client: Client
) -> None:
    msg = twilio_client.messages.create(
        to=PHONE, messaging_service_sid="MG" + "0" * 32, body="Bien reçu, merci ! " * 4
    )
    assert msg.status == "accepted" and msg.from_ is None
    assert msg.num_segments == "2"  # 76 UCS-2 characters: more than 70
    assert fake_twilio.wait_messages(PHONE, 1, timeout=1)[0].segments == 2


@pytest.mark.parametrize(
    ("code", "status"), [(21610, 400), (21211, 400), (21614, 400), (21408, 400)]
)
def test_permanent_number_errors(
    fake_twilio: FakeTwilioAPI, twilio_client: Client, code: int, status: int
) -> None:
    fake_twilio.fail_number(PHONE, code)
    with pytest.raises(TwilioRestException) as caught:
        twilio_client.messages.create(to=PHONE, from_=TWILIO_NUMBER, body="Bonjour")
    assert (caught.value.code, caught.value.status) == (code, status)
    assert fake_twilio.messages == []
    fake_twilio.clear_number(PHONE)
    assert twilio_client.messages.create(to=PHONE, from_=TWILIO_NUMBER, body="Bonjour").sid


def test_calls_create_places_a_call_the_test_then_answers(
    fake_twilio: FakeTwilioAPI, twilio_client: Client
) -> None:
    landline = "+33321000001"
    call = twilio_client.calls.create(
        to=landline,
        from_=TWILIO_NUMBER,
        url="https://entraide.example/voice/outbound?rows=1,2",
        status_callback="https://entraide.example/voice/status",
        machine_detection="Enable",
    )
    assert call.sid.startswith("CA") and len(call.sid) == 34 and call.status == "queued"
    [placed] = fake_twilio.wait_calls(landline, 1, timeout=1)
    assert (placed.sid, placed.from_, placed.machine_detection) == (
        call.sid,
        TWILIO_NUMBER,
        "Enable",
    )
    assert placed.url.endswith("/voice/outbound?rows=1,2")
    with pytest.raises(TwilioRestException) as no_url:
        twilio_client.calls.create(to=landline, from_=TWILIO_NUMBER, url="/voice/outbound")
    assert no_url.value.code == 21205
    fake_twilio.fail_number(landline, 21211)
    with pytest.raises(TwilioRestException) as invalid:
        twilio_client.calls.create(to=landline, from_=TWILIO_NUMBER, url=placed.url)
    assert invalid.value.code == 21211 and len(fake_twilio.calls_to(landline)) == 1


def test_request_checks_twilio_makes(twilio_client: Client) -> None:
    with pytest.raises(TwilioRestException) as national:
        twilio_client.messages.create(to="0612345678", from_=TWILIO_NUMBER, body="Bonjour")
    assert national.value.code == 21211  # not E.164
    with pytest.raises(TwilioRestException) as too_long:
        twilio_client.messages.create(to=PHONE, from_=TWILIO_NUMBER, body="a" * 1601)
    assert too_long.value.code == 21617


def test_transient_errors(fake_twilio: FakeTwilioAPI, twilio_client: Client) -> None:
    fake_twilio.rate_limit(1)
    with pytest.raises(TwilioRestException) as limited:
        twilio_client.messages.create(to=PHONE, from_=TWILIO_NUMBER, body="Bonjour")
    assert (limited.value.status, limited.value.code) == (429, 20429)
    fake_twilio.fail(1, status=503)
    with pytest.raises(TwilioRestException) as unavailable:
        twilio_client.messages.create(to=PHONE, from_=TWILIO_NUMBER, body="Bonjour")
    assert (unavailable.value.status, unavailable.value.code) == (503, 20503)
    assert twilio_client.messages.create(to=PHONE, from_=TWILIO_NUMBER, body="Bonjour").sid


def test_wrong_credentials_are_401(fake_twilio: FakeTwilioAPI) -> None:
    client = twilio_client_for(fake_twilio)
    client.username = client.password = "nope"
    client.auth = ("nope", "nope")
    try:
        with pytest.raises(TwilioRestException) as caught:
            client.messages.create(to=PHONE, from_=TWILIO_NUMBER, body="Bonjour")
    finally:
        client.http_client.session.close()
    assert (caught.value.status, caught.value.code) == (401, 20003)


def test_outage_is_a_requests_error_not_a_twilio_one(
    fake_twilio: FakeTwilioAPI, twilio_client: Client
) -> None:
    assert twilio_client.messages.create(to=PHONE, from_=TWILIO_NUMBER, body="avant").sid
    port = fake_twilio.port
    fake_twilio.go_down()
    with pytest.raises(requests.ConnectionError):
        twilio_client.messages.create(to=PHONE, from_=TWILIO_NUMBER, body="pendant")
    fake_twilio.come_back()
    assert fake_twilio.port == port
    assert twilio_client.messages.create(to=PHONE, from_=TWILIO_NUMBER, body="après").sid
    assert [m.body for m in fake_twilio.messages_to(PHONE)] == ["avant", "après"]


# twilio 9.13's AsyncTwilioHttpClient passes aiohttp.BasicAuth as ``auth=``: both deprecated
# in aiohttp 3.14, so under filterwarnings=error every async send fails without these.
@pytest.mark.filterwarnings("ignore:BasicAuth is deprecated:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:The 'auth' parameter is deprecated:DeprecationWarning")
async def test_async_client_uses_the_same_hook(fake_twilio: FakeTwilioAPI) -> None:
    import aiohttp

    http_client = AsyncTwilioHttpClient()
    client = twilio_client_for(fake_twilio, http_client=http_client)
    try:
        msg = await client.messages.create_async(to=PHONE, from_=TWILIO_NUMBER, body="Bonjour")
        assert fake_twilio.messages_to(PHONE)[0].sid == msg.sid
        fake_twilio.go_down()
        with pytest.raises(aiohttp.ClientConnectionError):
            await client.messages.create_async(to=PHONE, from_=TWILIO_NUMBER, body="Bonjour")
        fake_twilio.come_back()
    finally:
        await http_client.close()


def test_deliver_posts_a_signed_status_callback(
    fake_twilio: FakeTwilioAPI, twilio_client: Client, recording_server: RecordingServer
) -> None:
    callback = f"{recording_server.url}/sms/status?site=boulogne"
    msg = twilio_client.messages.create(
        to=PHONE, from_=TWILIO_NUMBER, body="Bonjour", status_callback=callback
    )
    assert fake_twilio.deliver(msg.sid) == 200
    assert fake_twilio.deliver(msg.sid, "undelivered", error_code=30006) == 200

    delivered, undelivered = recording_server.requests
    validator = RequestValidator(AUTH_TOKEN)
    for req in (delivered, undelivered):
        params = dict(req.form)
        assert req.path == "/sms/status" and req.query == {"site": "boulogne"}
        assert validator.validate(callback, params, req.header("X-Twilio-Signature"))
        assert params["MessageSid"] == msg.sid and params["To"] == PHONE
        assert not validator.validate(
            callback, {**params, "MessageStatus": "read"}, req.header("X-Twilio-Signature")
        )
    assert dict(delivered.form)["MessageStatus"] == "delivered"
    assert "ErrorCode" not in dict(delivered.form)
    assert dict(undelivered.form)["ErrorCode"] == "30006"
    fetched = twilio_client.messages(msg.sid).fetch()
    assert (fetched.status, fetched.error_code) == ("undelivered", 30006)
    assert [c.status for c in fake_twilio.callbacks] == [200, 200]


def test_deliver_returns_what_our_server_answered(
    fake_twilio: FakeTwilioAPI, twilio_client: Client, recording_server: RecordingServer
) -> None:
    recording_server.status = 403  # e.g. our route rejected the signature
    msg = twilio_client.messages.create(
        to=PHONE, from_=TWILIO_NUMBER, body="Bonjour", status_callback=recording_server.url
    )
    assert fake_twilio.deliver(msg.sid) == 403


def test_inbound_webhook_params_and_signature() -> None:
    url = "https://entraide.example/sms/inbound"
    params = inbound_params("+33611223344", "2 pains jeudi, merci ’")
    assert params["MessageSid"] == params["SmsSid"] == params["SmsMessageSid"]
    assert params["MessageSid"].startswith("SM") and len(params["MessageSid"]) == 34
    assert (params["FromCountry"], params["ToCountry"], params["To"]) == ("FR", "FR", TWILIO_NUMBER)
    assert params["NumMedia"] == "0" and params["NumSegments"] == "1"
    assert "MessagingServiceSid" not in params and params["SmsStatus"] == "received"
    headers = signed_headers(AUTH_TOKEN, url, params)
    validator = RequestValidator(AUTH_TOKEN)
    assert validator.validate(url, params, headers["X-Twilio-Signature"])
    assert not validator.validate(
        "http://proxy.internal/sms/inbound", params, headers["X-Twilio-Signature"]
    )
    # the form as our server receives it: urlencoded, every value a string
    body = httpx.Request("POST", url, data=params).read().decode()
    assert dict(parse_qsl(body, keep_blank_values=True)) == params


# ---- SMS segments ---------------------------------------------------------------------------


def test_one_non_gsm_letter_switches_the_whole_text_to_ucs2() -> None:
    assert (encoding("recu"), encoding("reçu")) == ("GSM-7", "UCS-2")
    assert encoding("Ça a été livré à 9 h, où ?") == "GSM-7"  # Ç é à ù are GSM-7
    assert analyse("« Bien reçu » l’équipe").non_gsm == ("«", "ç", "»", "’")
    assert segments("recu " * 32) == 1  # 160 characters
    assert segments("reçu " * 32) == 3  # 160 UCS-2 units: 67 + 67 + 26


def test_gsm7_boundaries() -> None:
    assert segments("") == 0
    assert segments("a" * 160) == 1
    assert segments("a" * 161) == 2
    assert segments("a" * 306) == 2 and segments("a" * 307) == 3
    assert [len(p) for p in split("a" * 161)] == [153, 8]


def test_euro_counts_double() -> None:
    assert analyse("€").units == 2 and encoding("5 €") == "GSM-7"
    assert segments("a" * 158 + "€") == 1  # 160 septets
    assert segments("a" * 159 + "€") == 2  # 161 septets
    parts = split("a" * 152 + "€" + "b" * 10)  # 164 septets; the escape pair is never cut
    assert parts == ["a" * 152, "€" + "b" * 10]


def test_ucs2_boundaries() -> None:
    assert segments("ç" * 70) == 1
    assert segments("ç" * 71) == 2
    assert segments("ç" * 134) == 2 and segments("ç" * 135) == 3
    assert analyse("🍞" * 35).units == 70 and segments("🍞" * 35) == 1  # surrogate pairs
    assert segments("🍞" * 36) == 2
    assert analyse("ç" * 71).per_segment == 67
