"""Names of the phonenumbers region codes, to show the rep which country a number is in."""

from __future__ import annotations

import json
from functools import cache

COUNTRIES_FILE = "countries.json"

_COUNTRY_NAMES_TEXT = """\
AC Ascension Island|AD Andorra|AE United Arab Emirates|AF Afghanistan|AG Antigua and Barbuda|
AI Anguilla|AL Albania|AM Armenia|AO Angola|AR Argentina|AS American Samoa|AT Austria|
AU Australia|AW Aruba|AX Åland Islands|AZ Azerbaijan|BA Bosnia and Herzegovina|BB Barbados|
BD Bangladesh|BE Belgium|BF Burkina Faso|BG Bulgaria|BH Bahrain|BI Burundi|BJ Benin|
BL Saint Barthélemy|BM Bermuda|BN Brunei|BO Bolivia|BQ Caribbean Netherlands|BR Brazil|
BS Bahamas|BT Bhutan|BW Botswana|BY Belarus|BZ Belize|CA Canada|CC Cocos (Keeling) Islands|
CD Democratic Republic of the Congo|CF Central African Republic|CG Republic of the Congo|
CH Switzerland|CI Côte d'Ivoire|CK Cook Islands|CL Chile|CM Cameroon|CN China|CO Colombia|
CR Costa Rica|CU Cuba|CV Cabo Verde|CW Curaçao|CX Christmas Island|CY Cyprus|CZ Czechia|
DE Germany|DJ Djibouti|DK Denmark|DM Dominica|DO Dominican Republic|DZ Algeria|EC Ecuador|
EE Estonia|EG Egypt|EH Western Sahara|ER Eritrea|ES Spain|ET Ethiopia|FI Finland|FJ Fiji|
FK Falkland Islands|FM Micronesia|FO Faroe Islands|FR France|GA Gabon|GB United Kingdom|
GD Grenada|GE Georgia|GF French Guiana|GG Guernsey|GH Ghana|GI Gibraltar|GL Greenland|
GM Gambia|GN Guinea|GP Guadeloupe|GQ Equatorial Guinea|GR Greece|GT Guatemala|GU Guam|
GW Guinea-Bissau|GY Guyana|HK Hong Kong|HN Honduras|HR Croatia|HT Haiti|HU Hungary|
ID Indonesia|IE Ireland|IL Israel|IM Isle of Man|IN India|IO British Indian Ocean Territory|
IQ Iraq|IR Iran|IS Iceland|IT Italy|JE Jersey|JM Jamaica|JO Jordan|JP Japan|KE Kenya|
KG Kyrgyzstan|KH Cambodia|KI Kiribati|KM Comoros|KN Saint Kitts and Nevis|KP North Korea|
KR South Korea|KW Kuwait|KY Cayman Islands|KZ Kazakhstan|LA Laos|LB Lebanon|LC Saint Lucia|
LI Liechtenstein|LK Sri Lanka|LR Liberia|LS Lesotho|LT Lithuania|LU Luxembourg|LV Latvia|
LY Libya|MA Morocco|MC Monaco|MD Moldova|ME Montenegro|MF Saint Martin|MG Madagascar|
MH Marshall Islands|MK North Macedonia|ML Mali|MM Myanmar|MN Mongolia|MO Macao|
MP Northern Mariana Islands|MQ Martinique|MR Mauritania|MS Montserrat|MT Malta|MU Mauritius|
MV Maldives|MW Malawi|MX Mexico|MY Malaysia|MZ Mozambique|NA Namibia|NC New Caledonia|
NE Niger|NF Norfolk Island|NG Nigeria|NI Nicaragua|NL Netherlands|NO Norway|NP Nepal|NR Nauru|
NU Niue|NZ New Zealand|OM Oman|PA Panama|PE Peru|PF French Polynesia|PG Papua New Guinea|
PH Philippines|PK Pakistan|PL Poland|PM Saint Pierre and Miquelon|PR Puerto Rico|PS Palestine|
PT Portugal|PW Palau|PY Paraguay|QA Qatar|RE Réunion|RO Romania|RS Serbia|RU Russia|RW Rwanda|
SA Saudi Arabia|SB Solomon Islands|SC Seychelles|SD Sudan|SE Sweden|SG Singapore|
SH Saint Helena|SI Slovenia|SJ Svalbard and Jan Mayen|SK Slovakia|SL Sierra Leone|
SM San Marino|SN Senegal|SO Somalia|SR Suriname|SS South Sudan|ST São Tomé and Príncipe|
SV El Salvador|SX Sint Maarten|SY Syria|SZ Eswatini|TA Tristan da Cunha|
TC Turks and Caicos Islands|TD Chad|TG Togo|TH Thailand|TJ Tajikistan|TK Tokelau|
TL Timor-Leste|TM Turkmenistan|TN Tunisia|TO Tonga|TR Turkey|TT Trinidad and Tobago|TV Tuvalu|
TW Taiwan|TZ Tanzania|UA Ukraine|UG Uganda|US United States|UY Uruguay|UZ Uzbekistan|
VA Vatican City|VC Saint Vincent and the Grenadines|VE Venezuela|VG British Virgin Islands|
VI U.S. Virgin Islands|VN Vietnam|VU Vanuatu|WF Wallis and Futuna|WS Samoa|XK Kosovo|YE Yemen|
YT Mayotte|ZA South Africa|ZM Zambia|ZW Zimbabwe"""


@cache
def _country_names() -> dict[str, str]:
    # A table rather than phonenumbers.geocoder: importing the geocoder costs half a second on every
    # ``a1dialer dial``, and its English names have gaps (Kosovo) and odd casing ("Isle Of Man").
    entries = _COUNTRY_NAMES_TEXT.replace("\n", "").split("|")
    return {code: name for code, _, name in (entry.partition(" ") for entry in entries)}


# Babel's locale for each language we ship: European Portuguese, Serbian in Latin script.
_BABEL_LOCALES = {"pt": "pt_PT", "sr": "sr_Latn"}


def cldr_country_names(language: str) -> dict[str, str]:
    """The CLDR's names of the countries in ``language``, through babel (a source checkout);
    the packaged app ships them as a small JSON file per language instead of babel's data."""
    from babel import Locale, UnknownLocaleError

    try:
        return dict(Locale.parse(_BABEL_LOCALES.get(language, language)).territories)
    except (UnknownLocaleError, ValueError):
        return {}


@cache
def _translated_names(language: str) -> dict[str, str]:
    from a1dialer.core.translation import LOCALE_DIR

    shipped = LOCALE_DIR / language / COUNTRIES_FILE
    try:
        names = json.loads(shipped.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return cldr_country_names(language)
    return names if isinstance(names, dict) else {}


def country_name(region: str, language: str | None = None) -> str | None:
    """Name of a phonenumbers region code in ``language`` (default: the language in use;
    "GB" -> "United Kingdom", "Vereinigtes Königreich"), None if unknown."""
    from a1dialer.core.translation import current_language

    region = region.upper()
    english = _country_names().get(region)
    language = language or current_language()
    if english is None or language == "en":
        return english
    # Babel's names are the CLDR's, as the rep's own system shows them; English is the table's.
    return _translated_names(language).get(region, english)
