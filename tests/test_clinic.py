"""Tests for clinic profiles: the example clinic, every error message, and odd input."""

import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from leaflets.errors import ContentError
from leaflets.source.clinic import ClinicProfile, PhoneNumber, list_clinics, load_clinic

CONTENT = Path(__file__).resolve().parents[1] / "content"
# Each field on one line, so the line numbers in messages are known: name is line 1, opening_hours line 6.
BASE = {
    "name": "Test Clinic",
    "address": "[1 Test Street, Leeds]",
    "phone": "0113 496 0000",
    "urgent_phone": "0113 496 0999",
    "email": "clinic@example.org",
    "opening_hours": "Monday to Friday, 9am to 5pm",
}
BAD_ID = "clinic ids use lowercase letters, digits and hyphens, e.g. 'leeds-north', at most 64 characters"
BAD_GB_PHONE = "is not a valid phone number for GB; write it as the clinic gives it, e.g. 0113 496 0000"


def write_profile(folder: Path, stem: str = "test-clinic", /, **changes: str | None) -> str:
    """Write BASE with ``changes`` (None drops a field; new keys go last) and return its path."""
    fields = {**BASE, **changes}
    path = folder / f"{stem}.yaml"
    path.write_text("".join(f"{key}: {value}\n" for key, value in fields.items() if value is not None))
    return str(path)


def error_lines(ref: str, content_dir: Path = CONTENT) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_clinic(ref, content_dir)
    return caught.value.lines()


# --- the example clinic ----------------------------------------------------------


def test_example_clinic_loads_without_warnings():
    profile, warnings = load_clinic("example", CONTENT)
    assert warnings == []
    assert profile == ClinicProfile(
        clinic_id="example",
        name="Example Recovery Clinic (fictional)",
        address=("1 Example Street", "Leeds", "(fictional address)"),
        phone=PhoneNumber(national="0113 496 0000", e164="+441134960000"),
        urgent_phone=PhoneNumber(national="0113 496 0999", e164="+441134960999"),
        email="clinic@example.org",
        opening_hours=("Monday to Friday, 9am to 5pm", "Closed at weekends and on bank holidays"),
        website="https://example.org/clinic",
        key_worker_phone=PhoneNumber(national="020 7946 0123", e164="+442079460123"),
        country="GB",
        source=str(CONTENT / "clinics" / "example.yaml"),
        localised=(
            (
                "opening_hours",
                "pl",
                ("Od poniedziałku do piątku, 9:00–17:00", "Nieczynne w weekendy i święta państwowe"),
            ),
            (
                "opening_hours",
                "ro",
                ("De luni până vineri, 9:00–17:00", "Închis în weekend și în zilele de sărbătoare legală"),
            ),
            (
                "opening_hours",
                "ar",
                ("من الاثنين إلى الجمعة، من 9 صباحًا إلى 5 مساءً", "مغلق في عطلات نهاية الأسبوع والعطل الرسمية"),
            ),
        ),
    )
    assert profile.phone.tel_uri == "tel:+441134960000"


def test_example_clinic_uses_only_ofcom_drama_numbers():
    profile, _ = load_clinic("example", CONTENT)
    phones = [profile.phone, profile.urgent_phone, profile.key_worker_phone]
    # Ofcom's fiction ranges: 0113 496 0xxx, 0161 496 0xxx, 020 7946 0xxx.
    assert all(re.fullmatch(r"\+44(1134960|1614960|2079460)\d{3}", phone.e164) for phone in phones)
    assert profile.email.endswith("@example.org")


def test_example_clinic_is_listed_and_loads_by_path():
    assert "example" in list_clinics(CONTENT)
    path = str(CONTENT / "clinics" / "example.yaml")
    profile, _ = load_clinic(path, Path("/nonexistent"))
    assert (profile.clinic_id, profile.source) == ("example", path)


# --- accepted forms ---------------------------------------------------------------


def test_multi_line_address_and_list_of_opening_hours(tmp_path):
    address = "|\n  1 Test Street\n\n  Leeds\n "
    hours = "\n  - Monday to Friday, 9am to 5pm\n  - Saturday, 10am to 1pm"
    profile, warnings = load_clinic(write_profile(tmp_path, address=address, opening_hours=hours), tmp_path)
    assert profile.address == ("1 Test Street", "Leeds")
    assert profile.opening_hours == ("Monday to Friday, 9am to 5pm", "Saturday, 10am to 1pm")
    assert warnings == []


def test_defaults_and_whitespace(tmp_path):
    profile, _ = load_clinic(write_profile(tmp_path, name="'  Test Clinic  '"), tmp_path)
    assert (profile.name, profile.country, profile.website, profile.key_worker_phone) == (
        "Test Clinic",
        "GB",
        None,
        None,
    )


def test_number_from_another_country_prints_in_international_format(tmp_path):
    path = write_profile(tmp_path, country="ie", phone="+44 113 496 0000", urgent_phone="'+44 113 496 0999'")
    profile, _ = load_clinic(path, tmp_path)
    assert profile.phone == PhoneNumber(national="+44 113 496 0000", e164="+441134960000")
    assert profile.country == "IE"


# --- one test per error message ---------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"name": None}, ": name: required field is missing"),
        ({"name": ""}, ":1: name: expected text, got nothing"),
        ({"name": "''"}, ":1: name: expected text, got an empty value"),
        ({"name": "42"}, ":1: name: expected text, got a number (42); put it in quotes"),
        ({"name": "[a, b]"}, ":1: name: expected text, got a list"),
        ({"name": "x" * 121}, ":1: name: expected at most 120 characters, got 121"),
        ({"name": r'"Clinic\a"'}, ":1: name: text contains control characters; remove them"),
        ({"name": r'"Clinic\u202e"'}, ":1: name: text contains control characters; remove them"),
        ({"name": r'"Test\nClinic"'}, ":1: name: must be on one line"),
        ({"name": "<script>alert(1)</script>"}, ":1: name: must be plain text; remove '<' and '>'"),
        ({"address": "[1 Test Street, <b>Leeds</b>]"}, ":2: address: item 2: must be plain text; remove '<' and '>'"),
        ({"address": "[1 Test Street, 42]"}, ":2: address: item 2: expected text, got a number (42); put it in quotes"),
        (
            {"address": "{street: x}"},
            ":2: address: give lines, or languages and their lines (en: [...]); expected a "
            "BCP 47 language tag such as 'en' or 'pt-BR', got 'street'",
        ),
        (
            {"address": "{pl: [ul. Przykładowa 1]}"},
            ":2: address: give it in the clinic's own language too ('en:'); other languages fall back to it",
        ),
        (
            {"address": "{en: [1 Test Street], pl: [<b>x</b>]}"},
            ":2: address: pl: item 1: must be plain text; remove '<' and '>'",
        ),
        ({"address": "[]"}, ":2: address: expected text or a list of lines, got an empty value"),
        ({"address": "[" + ", ".join("x" * 11) + "]"}, ":2: address: expected at most 10 lines, got 11"),
        (
            {"opening_hours": r'"Monday\n<i>9am</i>"'},
            ":6: opening_hours: line 2: must be plain text; remove '<' and '>'",
        ),
        (
            {"opening_hours": "9:00"},
            ":6: opening_hours: expected text or a list of lines, got a number (540); put it in quotes",
        ),
        ({"phone": "'12345'"}, f":3: phone: '12345' {BAD_GB_PHONE}"),
        ({"phone": "call reception"}, f":3: phone: 'call reception' {BAD_GB_PHONE}"),
        ({"key_worker_phone": "'999'"}, f":7: key_worker_phone: '999' {BAD_GB_PHONE}"),
        (
            {"phone": "441134960000"},
            ":3: phone: expected a phone number as text, got a number (441134960000); put it in quotes",
        ),
        ({"urgent_phone": "[0113 496 0000]"}, ":4: urgent_phone: expected a phone number as text, got a list"),
        (
            {"phone": "0113 496 0000 ext. 12"},
            ":3: phone: '0113 496 0000 ext. 12' has an extension; give a direct number, e.g. 0113 496 0000",
        ),
        (
            {"country": "IE", "urgent_phone": "+44 113 496 0999"},
            ":3: phone: '0113 496 0000' is not a valid phone number for IE; write it as the clinic gives it, "
            "e.g. (022) 12345",
        ),
        (
            {"website": "http://example.org/clinic"},
            ":7: website: expected an https:// address, got 'http://example.org/clinic'",
        ),
        ({"website": "javascript:alert(1)"}, ":7: website: expected an https:// address, got 'javascript:alert(1)'"),
        (
            {"website": "https://"},
            ":7: website: expected a web address like https://example.org/clinic, got 'https://'",
        ),
        (
            {"website": "https://user@example.org"},
            ":7: website: expected a web address like https://example.org/clinic, got 'https://user@example.org'",
        ),
        (
            {"country": "UK"},
            ":7: country: expected a two-letter ISO 3166 country code such as GB, got 'UK' (the United Kingdom is GB)",
        ),
        (
            {"country": "NO"},
            ":7: country: expected a two-letter ISO 3166 country code such as GB, got false; put it in quotes",
        ),
    ],
)
def test_field_error_message(tmp_path, changes, expected):
    path = write_profile(tmp_path, **changes)
    assert error_lines(path, tmp_path) == [path + expected]


@pytest.mark.parametrize(
    "email", ["clinic.example.org", "a@b@example.org", "clinic@example", "'clinic @example.org'", "clinic@example..org"]
)
def test_invalid_email(tmp_path, email):
    path = write_profile(tmp_path, email=email)
    shown = repr(email.strip("'"))
    assert error_lines(path, tmp_path) == [
        f"{path}:5: email: expected an email address like clinic@example.org, got {shown}"
    ]


def test_all_problems_are_reported_together_in_file_order(tmp_path):
    path = write_profile(tmp_path, name=None, phone="'12345'", email="nope", phone_number="0113 496 0000")
    assert error_lines(path, tmp_path) == [
        f"{path}:2: phone: '12345' {BAD_GB_PHONE}",
        f"{path}:4: email: expected an email address like clinic@example.org, got 'nope'",
        f"{path}:6: warning: phone_number: unknown field; did you mean 'phone'?",
        f"{path}: name: required field is missing",
    ]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("phone_number", "unknown field; did you mean 'phone'?"),
        ("Urgent-Phone-Number", "unknown field; did you mean 'urgent_phone'?"),
        ("adress", "unknown field; did you mean 'address'?"),
        ("out_of_hours_phone", "unknown field; did you mean 'urgent_phone'?"),
        (
            "colour",
            "unknown field; clinic profiles use: name, address, phone, urgent_phone, email, opening_hours, "
            "website, key_worker_phone, country",
        ),
    ],
)
def test_unknown_key_is_a_warning(tmp_path, key, expected):
    path = write_profile(tmp_path, **{key: "x"})
    profile, warnings = load_clinic(path, tmp_path)
    assert profile.name == "Test Clinic"
    assert [str(w) for w in warnings] == [f"{path}:7: warning: {key}: {expected}"]


def test_profile_that_is_not_a_mapping(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- name\n- phone\n")
    assert error_lines(str(path), tmp_path) == [
        f"{path}: expected a mapping of clinic fields (name: ..., phone: ...), got a list"
    ]


# --- finding the profile ------------------------------------------------------------


@pytest.mark.parametrize(("ref", "shown"), [("Bad_ID", "'Bad_ID'"), ("a..b", "'a..b'"), ("", "''"), ("-x", "'-x'")])
def test_bad_clinic_id(ref, shown):
    assert error_lines(ref) == [f"clinic {shown}: {BAD_ID}"]


def test_bad_clinic_id_in_a_file_name(tmp_path):
    path = write_profile(tmp_path, "My Clinic")
    assert error_lines(path, tmp_path) == [f"clinic 'My Clinic': {BAD_ID}; rename {path}"]


def test_missing_profile_lists_the_clinics_there_are(tmp_path):
    (tmp_path / "clinics").mkdir()
    write_profile(tmp_path / "clinics", "leeds-north")
    write_profile(tmp_path / "clinics", "bradford")
    (tmp_path / "clinics" / "notes.txt").write_text("not a profile")
    expected = f"clinic 'leeds' not found; clinics in {tmp_path / 'clinics'}: bradford, leeds-north"
    assert error_lines("leeds", tmp_path) == [f"{tmp_path / 'clinics' / 'leeds.yaml'}: {expected}"]
    assert list_clinics(tmp_path) == ["bradford", "leeds-north"]


def test_missing_profile_by_path_with_no_clinics_folder(tmp_path):
    path = str(tmp_path / "gone.yaml")
    assert error_lines(path, tmp_path) == [f"{path}: clinic 'gone' not found; clinics in {tmp_path / 'clinics'}: none"]
    assert list_clinics(tmp_path) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (b"name: [unclosed\n", ":2: invalid YAML: expected ',' or ']', but got '<stream end>'"),
        (b"name: a\nname: b\n", ":2: invalid YAML: duplicate key 'name' (first on line 1)"),
        (b"name: &n a\nemail: *n\n", ":2: invalid YAML: aliases (*name) are not allowed; write the value out"),
        (
            b"name: !!python/object/apply:os.system [ls]\n",
            ":1: invalid YAML: tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; use plain values",
        ),
        (b"\n  \n", ": file is empty"),
        (b"name: caf\xe9\n", ":1: not UTF-8 text (byte 0xe9); save the file as UTF-8"),
    ],
)
def test_malformed_yaml(tmp_path, text, expected):
    path = tmp_path / "broken.yaml"
    path.write_bytes(text)
    assert error_lines(str(path), tmp_path) == [f"{path}{expected}"]


# --- whatever is in the file, a ContentError or a profile ---------------------------

KNOWN = tuple(BASE) + ("website", "key_worker_phone", "country", "other")
FRAGMENTS = [*KNOWN, ":", ": ", "\n", "  ", "- ", "[", "]", "{", "}", ",", "'", '"', "#", "&a", "*a", "!!binary", "|"]
FRAGMENTS += ["!!python/name:os.system", "<b>", "0113 496 0000", "+44", "12345", "@example.org", "https://", "NO"]
SCALARS = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
SCALARS |= st.sampled_from(["0113 496 0000", "+441134960999", "clinic@example.org", "https://example.org", "GB", "IE"])
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner))
YAMLISH = st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=4), max_size=40).map("".join)
PROFILES = st.dictionaries(st.sampled_from(KNOWN), VALUES).map(lambda d: yaml.safe_dump(d, allow_unicode=True))
VALID = yaml.safe_load("".join(f"{key}: {value}\n" for key, value in BASE.items()))
ONE_FIELD_CHANGED = st.builds(lambda key, value: yaml.safe_dump({**VALID, key: value}), st.sampled_from(KNOWN), VALUES)


@settings(max_examples=300, deadline=None)
@given(st.one_of(YAMLISH, PROFILES, ONE_FIELD_CHANGED, st.binary(max_size=60)))
def test_any_file_gives_a_profile_or_a_content_error(tmp_path_factory, text):
    path = tmp_path_factory.getbasetemp() / "fuzz.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass"))
    try:
        profile, warnings = load_clinic(str(path), path.parent)
    except ContentError as exc:
        assert exc.problems and all(p.path == str(path) for p in exc.problems)
    else:
        assert profile.phone.e164.startswith("+") and "<" not in profile.name + "".join(profile.address)
        assert all(w.severity == "warning" for w in warnings)


def test_huge_number_is_a_content_error(tmp_path):
    path = write_profile(tmp_path, name="1" * 5000)
    assert any("invalid YAML: Exceeds the limit" in line for line in error_lines(path, tmp_path))


# --- opening hours and address by language ----------------------------------------


def test_opening_hours_and_address_by_language_fall_back_to_the_clinics_own(tmp_path):
    from leaflets.paths import TEMPLATES_DIR
    from leaflets.render.html import make_environment

    hours = "{en: ['Monday to Friday, 9am to 5pm'], pl: ['Od poniedziałku do piątku, 9:00–17:00']}"
    profile, warnings = load_clinic(write_profile(tmp_path, opening_hours=hours), tmp_path)
    assert warnings == []
    assert profile.opening_hours == ("Monday to Friday, 9am to 5pm",)
    assert profile.opening_hours_for("pl").lines == ("Od poniedziałku do piątku, 9:00–17:00",)
    assert profile.opening_hours_for("ar").lang == "en"
    env = make_environment(TEMPLATES_DIR)
    card = env.from_string(
        '{% from "components/contact_card/macro.html" import contact_card %}{{ contact_card({"clinic": c, "lang": l}) }}'
    )
    polish = card.render(c=profile, l="pl")
    assert '<dd lang="pl" dir="ltr"><bdi dir="ltr">Od poniedziałku do piątku, 9:00–17:00</bdi></dd>' in polish
    assert '<dd lang="en" dir="ltr"><bdi dir="ltr">1 Test Street</bdi><br><bdi dir="ltr">Leeds</bdi></dd>' in polish
    english = card.render(c=profile, l="en")
    assert '<dd lang="en" dir="ltr"><bdi dir="ltr">Monday to Friday, 9am to 5pm</bdi></dd>' in english
    assert 'lang="pl"' not in english
