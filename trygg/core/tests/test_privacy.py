"""The privacy scrubber: personal identifiers go, places, times, sums and case numbers stay."""

from __future__ import annotations

import datetime as dt
import string
import time

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from trygg.core.privacy import MARKERS, ScrubResult, scrub, scrub_text

CURRENCIES = {"SEK", "EUR", "USD", "GBP", "NOK", "DKK", "CHF", "JPY", "CAD", "AUD", "PLN"}
PLATE_LETTERS = "ABCDEFGHJKLMNOPRSTUWXYZ"  # A-Z without I, Q, V

# Surrounding text for the property tests: Swedish letters, spaces and punctuation, no digits
# and no '@', so anything scrubbed must come from the embedded value.
SWEDISH_ISH = st.text(
    alphabet=string.ascii_letters + "åäöÅÄÖéÉ" + " .,;:!?()\"'-/", min_size=0, max_size=40
)


def sentence(value: str) -> str:
    return f"Anmälaren uppgav {value} till patrullen."


def assert_removed(value: str, kind: str, text: str) -> None:
    result = scrub(text)
    assert value not in result.text
    # Exactly the value is replaced: nothing of it is left behind, nothing around it is lost.
    assert result.text == text.replace(value, MARKERS[kind])
    assert result.was_scrubbed is True
    assert result.kinds == frozenset({kind})


def assert_survives(text: str) -> None:
    assert scrub(text) == ScrubResult(text, False, frozenset())


# --- Positives, one kind at a time -------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "850412-1230",  # YYMMDD-NNNN
        "850412+1230",  # '+': over 100 years old
        "8504121230",  # YYMMDDNNNN
        "19850412-1230",  # YYYYMMDD-NNNN
        "198504121230",  # YYYYMMDDNNNN
        "850412 1230",  # space instead of dash
        "19850412 1230",
        "850412–1230",  # en dash from a word processor
        "850412\u00a01230",  # non-breaking space
        "850412 - 1230",
        "20050412-1230",  # born this century
        "050412-1230",  # born 2005, with the dash: still a personnummer
    ],
)
def test_a_personal_identity_number_in_any_usual_format_is_replaced(value):
    assert_removed(value, "personnummer", sentence(value))


@pytest.mark.parametrize("value", ["850472-1230", "19850491-1230", "8504611230"])
def test_a_co_ordination_number_with_day_plus_sixty_is_replaced(value):
    assert_removed(value, "personnummer", sentence(value))


@pytest.mark.parametrize("value", ["8504121230", "8504121231"])
def test_a_personal_identity_number_is_replaced_whether_or_not_its_check_digit_is_valid(value):
    # 8504121230 passes the Luhn check, 8504121231 does not: a mistyped number still names
    # someone, so the check digit is deliberately not verified.
    assert_removed(value, "personnummer", sentence(value))


def test_a_personal_identity_number_with_century_and_dash_is_replaced():
    assert scrub("Pnr 19850412-1230.").text == "Pnr [personnummer borttaget]."


@pytest.mark.parametrize(
    "value",
    [
        "070-123 45 67",
        "0701234567",
        "070 123 45 67",
        "070-1234567",
        "08-123 456 78",
        "054-12 34 56",
        "054-123456",
        "(08) 123 456 78",
        "+46 70 123 45 67",
        "+46701234567",
        "0046 70 123 45 67",
        "+46 (0)70-123 45 67",
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "0771-123 123",
        "070 - 123 45 67",
        "070/123 45 67",
    ],
)
def test_a_phone_number_in_swedish_or_international_form_is_replaced(value):
    assert_removed(value, "phone", sentence(value))


@pytest.mark.parametrize(
    "value",
    [
        "anna.svensson@karlstad.se",
        "Förnamn.Efternamn@kommun.se",
        "tips+polis@example.com",
        "o'brien@example.co.uk",
        "0701234567@sms.example.se",
        "a_b-c@sub-domain.example.org",
    ],
)
def test_an_email_address_is_replaced(value):
    assert_removed(value, "email", sentence(value))


@pytest.mark.parametrize("value", ["ABC 123", "ABC123", "ABC-123", "ABC12A", "ABC 12A", "XYZ 789"])
def test_a_swedish_registration_number_in_capitals_is_replaced(value):
    assert_removed(value, "vehicle", f"En bil med reg.nr {value} lämnade platsen.")


def test_every_kind_in_one_text_is_replaced_and_reported():
    text = "Pnr 850412-1230, tel 070-123 45 67, anna@example.se, bil ABC 123."
    result = scrub(text)
    assert result.text == (
        "Pnr [personnummer borttaget], tel [telefonnummer borttaget], [e-post borttagen], "
        "bil [registreringsnummer borttaget]."
    )
    assert result.kinds == frozenset(MARKERS)


@pytest.mark.parametrize("value", ["070-123 45 67", "054-12 34 56", "0701234567", "070 123 45 67"])
@pytest.mark.parametrize("label", ["TEL ", "MOB ", "ABC", "TEL: "])
def test_a_phone_number_after_three_capitals_is_replaced_whole(label, value):
    result = scrub(f"{label}{value}")
    assert result.text == f"{label}[telefonnummer borttaget]"
    assert result.kinds == {"phone"}


def test_a_phone_number_right_after_a_date_is_replaced_and_the_date_kept():
    result = scrub("2026-08-22 070-123 45 67")
    assert result.text == "2026-08-22 [telefonnummer borttaget]"


def test_identifiers_glued_together_are_all_replaced():
    # The plate only becomes a whole word once the phone number before it is gone.
    result = scrub("0701234567ABC123")
    assert result.text == "[telefonnummer borttaget][registreringsnummer borttaget]"
    assert result.kinds == {"phone", "vehicle"}


# --- Decisions on ambiguous input (see the module docstring) ------------------------------


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        ("0701234567", "phone"),  # bare 10 digits starting with 0: a phone number
        ("0501011234", "phone"),  # ... even when it starts with a valid YYMMDD
        ("0012121234", "phone"),  # 00 + 1...: an international prefix
        ("0001011234", "personnummer"),  # 000...: no phone number starts so
        ("050101-1234", "personnummer"),  # the dash after six digits makes it a personnummer
        ("8504121230", "personnummer"),  # bare 10 digits, valid date, no leading 0
        ("20260822 0948", "personnummer"),  # compact date and time: removed, privacy first
        ("59.07931234", "phone"),  # a long fraction starting with 0 reads as a phone number
        ("öppet 08-12 13-17", "phone"),  # hours with leading zeros: known over-removal
    ],
)
def test_an_ambiguous_digit_string_is_replaced_as_the_documented_kind(value, kind):
    assert scrub(value).kinds == {kind}


@pytest.mark.parametrize(
    "text",
    [
        "46701234567",  # no '+' or '00': an 11-digit id, not a phone number
        "1234567890",  # 10 digits, no valid date, no leading 0
        "abc 123",  # plates are upper case; lower case is ordinary text
        "vid 123",
        "SVT 123",  # I, Q and V never occur on plates
        "AVD 123",
        "+12 000 000 kr",  # a signed sum, not an international number
        "1 050 000 000 kr",  # a thousands group starting with 0, not a phone number
        "2 005 000 000 kr",
    ],
)
def test_an_ambiguous_string_decided_not_to_be_personal_data_survives(text):
    assert_survives(text)


# --- Near misses that must survive unchanged ----------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # dates and times
        "2026-08-22",
        "22/8 2026",
        "2026-08-22 9:48:12 +02:00",
        "2026-08-22 09:48:12",
        "05-06-2025",
        "05/06/2025",
        "2026-08-22 - 2026-08-30",
        "kl. 07.00–09.00",
        "22:00 - 02:00",
        "kl. 21:30",
        "21.30",
        "22 augusti 17.59",
        # postcodes
        "652 25 Karlstad",
        "65225",
        # sums of money
        "1 500 kr",
        "12 000 SEK",
        "SEK 500",
        "EUR 100",
        "USD 250",
        "KR 100",
        "3 450,50 kr",
        "4,9 miljoner kronor",
        # police event numbers, case numbers, ids, years
        "händelse 622113",
        "diarienummer 5000-K123456-24",
        "622113",
        "20260822",
        "2023",
        "2023–2027",
        # counts, addresses, laws, percentages, coordinates, roads
        "3 personer",
        "Drottninggatan 12",
        "lgh 1102",
        "Lag 2023:196",
        "57 %",
        "59.3793,13.5036",
        "6582345 412345",
        "E18",
        "väg 63",
        "114 14",
        "1177",
        "Org.nr 212000-1793",  # organisation numbers have month 20 or more
        "Bankgiro 5050-1055",
        "IP 192.168.0.1",
        # a handle without a domain is not an e-mail address
        "@Polisen_Varmland",
    ],
)
def test_a_near_miss_survives_unchanged(text):
    assert_survives(text)
    assert_survives(f"Händelsen {text} noterades.")


def test_a_realistic_police_summary_without_personal_data_survives():
    assert_survives(
        "2026-08-22 21:30, Misshandel, Karlstad. Kl. 21.30 larmades polis till Drottninggatan 12 "
        "efter bråk mellan 3 personer. En man i 25-årsåldern fördes till sjukhus. "
        "Händelse 622113, 652 25 Karlstad, skadorna uppskattas till 12 000 kr."
    )


# --- API details ---------------------------------------------------------------------------


def test_none_gives_an_empty_result():
    assert scrub(None) == ScrubResult("", False, frozenset())
    assert scrub_text(None) == ""


def test_empty_text_gives_an_empty_result():
    assert scrub("") == ScrubResult("", False, frozenset())


def test_scrub_text_returns_the_scrubbed_text():
    assert scrub_text("Ring 070-123 45 67") == "Ring [telefonnummer borttaget]"


@pytest.mark.parametrize("marker", list(MARKERS.values()))
def test_a_marker_is_never_scrubbed_again(marker):
    assert_survives(f"Text med {marker} i.")


def test_the_result_reports_kinds_never_the_removed_values():
    result = scrub("850412-1230 och 070-123 45 67")
    assert result.kinds <= set(MARKERS)
    assert "850412-1230" not in repr(result)


@pytest.mark.parametrize(
    "text",
    ["a" * 100_000 + "@", "@" * 100_000, "1" * 100_000, "0 " * 50_000, "ABC" * 30_000 + "1"],
)
def test_pathological_long_text_is_scrubbed_in_linear_time(text):
    started = time.perf_counter()
    scrub(text)
    assert time.perf_counter() - started < 2.0


def test_the_result_is_immutable():
    result = scrub("850412-1230")
    with pytest.raises(AttributeError):
        result.text = "850412-1230"


# --- Properties ----------------------------------------------------------------------------


@st.composite
def personal_identity_numbers(draw) -> str:
    born = draw(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2099, 12, 31)))
    day = born.day + (60 if draw(st.booleans()) else 0)  # samordningsnummer
    tail = f"{draw(st.integers(0, 9999)):04d}"
    short = f"{born:%y%m}{day:02d}"
    long = f"{born:%Y%m}{day:02d}"
    return draw(
        st.sampled_from(
            [
                f"{short}-{tail}",
                f"{short}+{tail}",
                f"{short} {tail}",
                f"{short}{tail}",
                f"{long}-{tail}",
                f"{long} {tail}",
                f"{long}{tail}",
            ]
        )
    )


@given(personal_identity_numbers(), SWEDISH_ISH, SWEDISH_ISH)
def test_any_valid_personal_identity_number_in_surrounding_text_is_removed(pnr, before, after):
    # A bare 10-digit number starting with 0 is read as a phone number unless it starts with
    # 000, which no phone number does (documented).
    phone_shaped = len(pnr) == 10 and pnr.isdigit() and pnr[0] == "0" and pnr[:3] != "000"
    assert_removed(pnr, "phone" if phone_shaped else "personnummer", f"{before} {pnr} {after}")


@st.composite
def swedish_mobile_numbers(draw) -> str:
    prefix = "07" + draw(st.sampled_from("02369"))
    rest = draw(st.text(alphabet=string.digits, min_size=7, max_size=7))
    a, b, c = rest[:3], rest[3:5], rest[5:]
    return draw(
        st.sampled_from(
            [
                f"{prefix}-{a} {b} {c}",
                f"{prefix}{rest}",
                f"{prefix} {a} {b} {c}",
                f"{prefix}-{rest}",
                f"+46 {prefix[1:]} {a} {b} {c}",
                f"+46{prefix[1:]}{rest}",
                f"0046 {prefix[1:]} {a} {b} {c}",
            ]
        )
    )


@given(swedish_mobile_numbers(), SWEDISH_ISH, SWEDISH_ISH)
def test_any_swedish_mobile_number_in_surrounding_text_is_removed(phone, before, after):
    assert_removed(phone, "phone", f"{before} {phone} {after}")


@given(st.emails(), SWEDISH_ISH, SWEDISH_ISH)
def test_any_email_address_in_surrounding_text_is_removed(email, before, after):
    assert_removed(email, "email", f"{before} {email} {after}")


@st.composite
def registration_numbers(draw) -> str:
    letters = "".join(draw(st.lists(st.sampled_from(PLATE_LETTERS), min_size=3, max_size=3)))
    assume(letters not in CURRENCIES)
    digits = f"{draw(st.integers(0, 99)):02d}"
    last = draw(st.sampled_from("0123456789" + PLATE_LETTERS))
    return f"{letters}{draw(st.sampled_from(['', ' ']))}{digits}{last}"


@given(registration_numbers(), SWEDISH_ISH, SWEDISH_ISH)
def test_any_registration_number_in_surrounding_text_is_removed(plate, before, after):
    assert_removed(plate, "vehicle", f"{before} {plate} {after}")


@given(st.text())
def test_scrubbing_is_idempotent_on_arbitrary_text(text):
    once = scrub(text)
    twice = scrub(once.text)
    assert twice.text == once.text
    assert twice.was_scrubbed is False


@given(st.text(alphabet="0123456789 -+()@._aAbBCEKSkr–\u00a0[]", max_size=60))
def test_scrubbing_is_idempotent_on_digit_heavy_text(text):
    once = scrub(text)
    assert scrub(once.text) == ScrubResult(once.text, False, frozenset())


@given(st.text(alphabet=st.characters(exclude_characters="0123456789@")))
def test_text_without_digits_or_at_sign_is_returned_unchanged(text):
    assert_survives(text)


# Years before 1000 start with 0 and would read as phone numbers: not real input.
DATES = st.dates(min_value=dt.date(1000, 1, 1))


@given(DATES, st.times())
def test_dates_and_times_survive(date, time):
    assert_survives(f"{date.isoformat()} {time:%H:%M:%S}")
    assert_survives(f"{date.isoformat()} {time:%H:%M:%S}+02:00")
    assert_survives(f"Den {date.day}/{date.month} {date.year} kl. {time:%H.%M}")
    assert_survives(f"{date:%Y%m%d}")
    assert_survives(f"{date:%d-%m-%Y}")


@given(st.integers(0, 10**12), st.sampled_from([" ", "\u00a0"]), st.sampled_from(["kr", "SEK"]))
def test_money_amounts_survive(amount, separator, unit):
    written = f"{amount:,}".replace(",", separator)
    assert_survives(f"Skadan uppgick till {written} {unit}.")
    assert_survives(f"{written},50 {unit}")


@given(st.one_of(st.none(), st.text()))
def test_scrub_never_raises(text):
    result = scrub(text)
    assert isinstance(result.text, str)
    assert result.kinds <= set(MARKERS)
    assert result.was_scrubbed == bool(result.kinds)
