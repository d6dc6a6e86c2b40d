"""Round 3 families, each held by a mechanism rather than a phrase list: corrections inside a
message, spelling by ear, "every day" and its exceptions, questions about one's own orders,
compounds that hold an item word, days told aside, remarks that hold a negation, the small-talk
rule, the edges between cancel, pause and visit, and a parser that never raises.
"""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handlers.nlu import parse
from handlers.nlu.message import word_set
from handlers.nlu.normalise import tokens
from handlers.nlu.parser import parse_strict
from handlers.nlu.result import INTENTS

THU = date(2027, 9, 16)  # a Thursday: vendredi 17, samedi 18, lundi 20, mardi 21, mercredi 22
ALL7 = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def got(text: str, today: date = THU) -> dict:
    return parse(text, today).to_json()


# --- corrections: the last value said wins, or a question ----------------------------------


@pytest.mark.parametrize(
    ("text", "items", "day"),
    [
        ("2 baguettes samedi, non pardon, 4", {"bread": 4}, "2027-09-18"),
        ("une baguette lundi... euh non, plutôt mardi", {"bread": 1}, "2027-09-21"),
        ("3 pains pour samedi. Je me suis trompé : 2 pains", {"bread": 2}, "2027-09-18"),
        ("deux packs d'eau lundi, ah non, un seul", {"water": 1}, "2027-09-20"),
        ("Saturday 2 loaves. Hmm, 3 will do actually.", {"bread": 3}, "2027-09-18"),
        ("a pack of water Monday, sorry I meant Tuesday", {"water": 1}, "2027-09-21"),
        ("one loaf on Saturday, scratch that, two loaves", {"bread": 2}, "2027-09-18"),
        ("une baguette pas lundi mais mardi", {"bread": 1}, "2027-09-21"),
    ],
)
def test_a_correction_keeps_the_last_value(text: str, items: dict, day: str) -> None:
    g = got(text)
    assert (g["intent"], g["items"], g["date"], g["clarify"]) == ("order", items, day, False), g


@pytest.mark.parametrize(
    "text",
    [
        "2 baguettes et 1 pack d'eau samedi, non, 3",  # which item is 3?
        "2 loaves and a pack of water Monday, sorry, 3",
        "2 baguettes samedi, oups, 1 pack d'eau",  # one more thing, or instead?
    ],
)
def test_a_correction_that_could_mean_either_item_is_asked(text: str) -> None:
    g = got(text)
    assert g["intent"] == "order" and g["clarify"], g


@pytest.mark.parametrize(
    ("text", "items"),
    [
        ("3 baguettes samedi, non pas 2 comme d'habitude", {"bread": 3}),
        ("2 loaves Saturday, no water this time", {"bread": 2}),
        ("Désolée de vous embêter, 2 baguettes samedi", {"bread": 2}),
    ],
)
def test_words_of_correction_without_a_new_value_change_nothing(text: str, items: dict) -> None:
    g = got(text)
    assert (g["intent"], g["items"], g["date"], g["clarify"]) == (
        "order",
        items,
        "2027-09-18",
        False,
    ), g


# --- spelling by ear ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 paque d'eau", ("2", "pack", "d", "eau")),
        ("3 paquets deau", ("3", "packs", "d", "eau")),
        ("un pack d'o", ("un", "pack", "d", "eau")),
        ("dm1", ("demain",)),
        ("2m1", ("demain",)),
        ("cé moi", ("c", "est", "moi")),
        ("si vou plai", ("si", "vous", "plait")),
        ("une baguette 7j/7", ("une", "baguette", "tous", "les", "jours")),
        ("joyeuses pâques", ("joyeuses", "paques")),  # Easter stays Easter
    ],
)
def test_units_and_days_spelt_by_ear(text: str, expected: tuple[str, ...]) -> None:
    assert tokens(text).tokens == expected


@pytest.mark.parametrize(
    ("text", "items", "day"),
    [
        ("slt jveu 2 paque d'eau pr dm1", {"water": 2}, "2027-09-17"),
        ("cé pour 1 bagete é 1 pak d'o samdi", {"bread": 1, "water": 1}, "2027-09-18"),
        ("2 loavs 4 satday pls", {"bread": 2}, "2027-09-18"),
    ],
)
def test_orders_spelt_by_ear_keep_their_numbers(text: str, items: dict, day: str) -> None:
    g = got(text)
    assert (g["intent"], g["items"], g["date"], g["clarify"]) == ("order", items, day, False), g


@pytest.mark.parametrize("text", ["2 loaves 2mrrw", "1 pack of water for tmrrw", "1 pain pr sam"])
def test_a_day_spelt_beyond_reading_is_asked_not_dropped(text: str) -> None:
    g = got(text)
    assert g["intent"] == "order" and g["clarify"], g


def test_a_date_glued_to_its_number_stays_a_date() -> None:
    assert got("2mai 1 baguette")["date"] == "2028-05-02"


# --- every day -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "weekdays"),
    [
        ("une baguette tous les matins, même le dimanche", ALL7),
        ("un pack d'eau chaque jour, week-end compris", ALL7),
        ("1 pain tou les jour sof le lundi", ALL7[1:]),
        ("a loaf every single day please", ALL7),
        ("a loaf each and every day, Sundays included", ALL7),
        ("a loaf every day apart from Saturdays", ["mon", "tue", "wed", "thu", "fri", "sun"]),
        ("une baguette tous les jours de la semaine", ALL7),
        ("une baguette les jours de semaine", ALL7[:5]),
    ],
)
def test_every_day_and_its_exceptions(text: str, weekdays: list[str]) -> None:
    g = got(text)
    assert (g["intent"], g["weekdays"], g["clarify"]) == ("standing_order", weekdays, False), g


def test_all_week_past_is_no_habit() -> None:
    g = got("J'ai eu la grippe toute la semaine. 2 baguettes samedi svp")
    assert (g["intent"], g["date"], g["weekdays"]) == ("order", "2027-09-18", []), g


# --- questions about one's own orders --------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Could you remind me which days I get water?",
        "Did my order for 2 loaves on Saturday go through?",
        "Just checking you got my order for 3 loaves on Saturday",
        "what's my standing order again",
        "Ma commande de 2 baguettes pour samedi a bien été enregistrée ?",
        "je ne me souviens plus quels jours j'ai du pain",
        "c koi mes commandes en cours ?",
        "c'était combien de baguettes pour samedi déjà ?",
    ],
)
def test_questions_about_what_is_booked_are_list(text: str) -> None:
    assert got(text)["intent"] == "list"


@pytest.mark.parametrize("text", ["Vous livrez quels jours ?", "What days do you deliver?"])
def test_questions_about_the_service_stay_help(text: str) -> None:
    assert got(text)["intent"] == "help"


# --- compounds that hold an item word ------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Le sac à pain de ma porte a disparu, vous pouvez en remettre un ?",
        "Il y a une fuite d'eau sous mon évier",
        "Mon chauffe-eau ne marche plus",
        "De l'eau de Javel a coulé dans le couloir",
        "Can you bring me a new bread bag?",
        "My water bill has doubled",
        "Could you water my plants on Saturday?",
    ],
)
def test_compounds_are_not_items(text: str) -> None:
    g = got(text)
    assert not g["items"] and (g["intent"] not in ("order", "standing_order") or g["clarify"]), g


# --- days told aside, remarks beside the order ---------------------------------------------


@pytest.mark.parametrize(
    ("text", "items", "day"),
    [
        ("j'ai mal au dos depuis lundi, une baguette samedi svp", {"bread": 1}, "2027-09-18"),
        ("Je sors de la clinique demain. 2 baguettes samedi svp", {"bread": 2}, "2027-09-18"),
        ("I've got the dentist on Monday so a loaf on Tuesday please", {"bread": 1}, "2027-09-21"),
        ("Thanks for Monday's loaf! Could I have another on Saturday?", {"bread": 1}, "2027-09-18"),
        ("le petit de la 12 est malade. 1 pain pour samedi merci", {"bread": 1}, "2027-09-18"),
        ("Joyeu anniversaire Karim ! pour samedi 2 baguete", {"bread": 2}, "2027-09-18"),
        (
            "Madame, si cela ne vous dérange pas, deux baguettes samedi. Je vous prie "
            "d'agréer mes salutations distinguées.",
            {"bread": 2},
            "2027-09-18",
        ),
        ("Two loaves on Saturday, and a pack of water if it's no bother", None, "2027-09-18"),
        ("je suis au 4e sans ascenseur, 2 packs d'eau samedi svp", {"water": 2}, "2027-09-18"),
    ],
)
def test_days_and_negations_told_aside(text: str, items: dict | None, day: str) -> None:
    g = got(text)
    assert (g["intent"], g["date"], g["clarify"]) == ("order", day, False), g
    if items is not None:
        assert g["items"] == items, g


def test_two_orders_for_two_days_are_still_asked() -> None:
    g = got("2 baguettes samedi. Et un pack d'eau lundi.")
    assert g["intent"] == "order" and g["clarify"], g


def test_a_negation_in_the_order_clause_still_asks() -> None:
    g = got("je ne suis pas sûre de vouloir 2 baguettes samedi")
    assert g["clarify"], g


# --- small talk: no request, no problem, no question ----------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "[photo] mes géraniums sur le balcon",
        "Ma petite-fille s'est fiancée hier !",
        "Quel beau ciel ce soir",
        "Savez-vous pourquoi les poissons vivent dans l'eau salée ? Parce que le poivre les fait "
        "éternuer !",
        "My nephew is visiting from Leeds this weekend",
        "The bread this morning was still warm, thank you Sam",
    ],
)
def test_news_jokes_and_thanks_are_small_talk(text: str) -> None:
    assert got(text)["intent"] == "smalltalk"


@pytest.mark.parametrize(
    "text",
    [
        "J'ai perdu mes clés dans la cour",
        "Un inconnu a sonné chez moi en disant qu'il venait de votre part",
        "Je voudrais devenir bénévole",
        "I'd like to help out with the deliveries",
        "Can I speak to the coordinator?",
        "my neighbour has had a fall",
        "la porte du hall ne ferme plus",
    ],
)
def test_problems_offers_and_questions_for_the_team_are_other(text: str) -> None:
    assert got(text)["intent"] == "other"


# --- edges between cancel, pause and visit ------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Pas d'eau le 25, on est chez mon fils pour la fête", ("cancel", "2027-09-25", [])),
        (
            "arrêtez le pain du mardi, je vais chez ma fille tous les week-ends",
            ("cancel", None, ["tue"]),
        ),
        ("papi n'a plus besoin de sa baguette de samedi", ("cancel", "2027-09-18", [])),
        ("Mum doesn't need her Friday loaf anymore", ("cancel", None, ["fri"])),
    ],
)
def test_one_day_or_one_habit_is_a_cancel(text: str, expected: tuple) -> None:
    g = got(text)
    assert (g["intent"], g["date"], g["weekdays"], g["clarify"]) == (*expected, False), g


@pytest.mark.parametrize(
    ("text", "intent", "clarify"),
    [
        ("Cancel next week's order please", "cancel", True),
        ("annulez le pain de la semaine prochaine", "cancel", True),
        ("please cancel everything next week", "pause", False),
        ("mamie aimerait que quelqu'un passe la voir samedi, elle s'ennuie", "visit", False),
        ("My daughter is coming to visit on Sunday", "smalltalk", False),
        ("half a loaf for Saturday, I live alone", "order", True),
        ("I'd like to volunteer on Saturdays", "other", False),
    ],
)
def test_intent_edges(text: str, intent: str, clarify: bool) -> None:
    g = got(text)
    assert (g["intent"], g["clarify"]) == (intent, clarify), g


# --- never raises --------------------------------------------------------------------------

_WORDS = tuple(
    word_set(
        "2 deux une 20 baguettes baguette pain eau pack paque d o bouteilles demi demain dm1 "
        "2m1 lundi le la 25 1er du au jusqu'au depuis sauf même y compris tous tou les jour "
        "jours chaque every single day except including non no pas not sorry pardon plutôt "
        "actually make that finalement sac à fuite javel chauffe water bill bread bag , . ? ! "
        "[photo] haha 😂 cé vou plai koi which days remind did go through order commande "
        "abonnement ma fille passera chercher"
    )
)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=14), st.sampled_from([None, "fr", "en"]))
def test_the_raw_parser_never_raises(words: list[str], lang: str | None) -> None:
    g = parse_strict(" ".join(words), THU, lang).to_json()
    assert g["intent"] in INTENTS and (g["question"] is not None) == g["clarify"]


def test_the_public_parser_has_a_safety_net(monkeypatch: pytest.MonkeyPatch) -> None:
    import handlers.nlu.parser as parser

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError(None)

    monkeypatch.setattr(parser, "parse_strict", broken)
    g = parser.parse("2 baguettes demain", THU, "fr")
    assert (g.intent, g.clarify, g.lang) == ("other", False, "fr")
