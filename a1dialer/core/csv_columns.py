"""Which column of a CSV file holds the names, numbers, companies and notes, from its header."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

# Header words, compared after folding case and dropping everything but letters and digits
# (``fold_header``: "Téléphone No." is "telephoneno", "Мобильный" is "мобильныи").
_NAME_HEADERS = ("name", "fullname", "contact", "contactname", "customer", "customername",
                 "person", "nom", "nombre", "kontakt", "kunde", "kundenname", "ansprechpartner",
                 "cliente", "client", "nome", "nomecompleto", "nombrecompleto", "имя", "фио",
                 "контакт", "клиент", "ime", "imeiprezime", "име", "имеипрезиме")  # fmt: skip
_FIRST_NAME_HEADERS = ("firstname", "first", "givenname", "forename", "vorname", "prenom",
                       "primeironome", "имя", "ime", "име")  # fmt: skip
_LAST_NAME_HEADERS = ("lastname", "last", "surname", "familyname", "nachname", "nomdefamille",
                      "cognome", "apellido", "apellidos", "sobrenome", "фамилия", "prezime",
                      "презиме")  # fmt: skip
# In the order a row's numbers are tried when the first is empty or cannot be dialled.
_PHONE_HEADERS = (
    "phone", "phonenumber", "telephone", "telephonenumber", "tel", "telnumber", "mobile",
    "mobilephone", "mobilenumber", "cell", "cellphone", "number", "phoneno", "telefon",
    "telefono", "telefone", "handy", "businessphone", "workphone", "primaryphone", "directdial",
    "contactnumber", "phone1", "mobile1", "rufnummer", "telefonnummer", "mobilnummer", "numero",
    "numerodetelephone", "celular", "movil", "portable",
    # de, fr, it, es, pt, ru, sr: fixed lines, mobiles, work and home numbers
    "mobil", "mobiltelefon", "festnetz", "telefongeschaftlich", "telefonprivat", "homephone",
    "officephone", "otherphone", "mainphone", "telephoneportable", "telportable", "cellulaire",
    "numerodetelefono", "numerodetelefone", "cellulare", "telemovel", "numerotelefono",
    "телефон", "тел", "номер", "номертелефона", "мобильныи", "мобильныителефон", "сотовыи",
    "рабочии", "рабочиителефон", "домашнии", "домашниителефон", "mobilni", "mobilnitelefon",
    "мобилни", "мобилнителефон", "broj", "brojtelefona", "број", "бројтелефона", "kucni",
    "кућни", "poslovni", "пословни",
)  # fmt: skip
# Taken as phone columns only when named exactly so: "Work Email" or "Home Address" are not.
_PHONE_EXACT = ("work", "home", "office", "private", "main", "direct",
                "privat", "buro", "arbeit", "geschaftlich", "bureau", "domicile", "travail",
                "fixe", "ufficio", "casa", "lavoro", "fisso", "oficina", "trabajo", "fijo",
                "escritorio", "trabalho", "residencial", "fixo", "posao", "посао")  # fmt: skip
# "Company Phone", "Home Phone", "Mobile Phone": a phone column whatever its first word.
_IDENTIFIERS = ("number", "id", "nr", "no", "code")
_PHONE_SUFFIXES = ("phone", "phonenumber", "mobile", "telephone", "telefon", "telefono",
                   "telefone", "телефон")  # fmt: skip
_COMPANY_HEADERS = ("company", "companyname", "organisation", "organization", "org", "account",
                    "accountname", "business", "firm", "employer", "firma", "unternehmen",
                    "empresa", "societe", "azienda", "societa", "companhia", "компания",
                    "организация", "kompanija", "компанија", "preduzece", "предузеће",
                    )  # fmt: skip
# Columns whose short digit strings are internal extensions rather than truncated numbers.
EXTENSION_HEADERS = frozenset(("ext", "extn", "extension", "extensionnumber", "extno", "extnumber",
                                "phoneextension", "phoneext", "durchwahl", "interno",
                                "extensao", "poste", "добавочныи", "lokal", "локал",
                                ))  # fmt: skip
_NOTES_HEADERS = ("notes", "note", "comment", "comments", "remarks", "description", "details",
                  "memo", "info", "notizen", "bemerkung", "notas", "commento", "commenti",
                  "observaciones", "observacoes", "примечание", "комментарии", "заметки",
                  "napomena", "напомена")  # fmt: skip
HEADER_WORDS = frozenset(
    _NAME_HEADERS + _FIRST_NAME_HEADERS + _LAST_NAME_HEADERS + _PHONE_HEADERS + _PHONE_EXACT
    + _COMPANY_HEADERS + _NOTES_HEADERS
    + ("email", "emailaddress", "title", "city", "address", "country", "id")
)  # fmt: skip
_NOT_A_WORD = re.compile(r"[\W_]+")


@dataclass(frozen=True)
class ColumnMap:
    """Which column (index into ``CsvTable.headers``) holds what; ``None`` for none.

    ``last_name`` is joined after ``name`` when a file splits first and last names.
    ``more_phones`` are the other phone columns in the order they are tried when ``phone`` is
    empty or holds no number that can be dialled ("Mobile", then "Work"); every usable number of
    a row is kept with it.
    """

    name: int | None = None
    phone: int | None = None
    company: int | None = None
    notes: int | None = None
    last_name: int | None = None
    more_phones: tuple[int, ...] = ()

    @property
    def phones(self) -> tuple[int, ...]:
        """Every phone column, in the order tried."""
        return () if self.phone is None else (self.phone, *self.more_phones)


def fold_header(text: str) -> str:
    """ "Téléphone No." -> "telephoneno": case, accents and punctuation ignored."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NOT_A_WORD.sub("", plain.casefold())


def _find(
    folded: list[str],
    words: tuple[str, ...],
    taken: set[int],
    suffixes: tuple[str, ...] = (),
    exact: tuple[str, ...] = (),
) -> int | None:
    """The first column named exactly one of ``words`` or ``exact``, else one whose name starts
    with one of ``words``, else one whose name ends with one of ``suffixes``."""
    for word in words + exact:
        for index, name in enumerate(folded):
            if index not in taken and name == word:
                return index
    for index, name in enumerate(folded):
        if index in taken or not name or (not suffixes and name.endswith(_IDENTIFIERS)):
            continue  # "Account Number" is not the company, "Customer ID" not the name
        if any(name.startswith(w) for w in words if len(w) > 3):
            return index
    for index, name in enumerate(folded):
        if index not in taken and suffixes and name.endswith(suffixes):
            return index
    return None


def guess_columns(headers: Sequence[str]) -> ColumnMap:
    """Guess the columns from header names ("Phone", "Mobile", "Tel.", "Company", "Notes", ...).

    Without any phone-like name, a lone data column is taken as the phone numbers. Every other
    column named as a phone ("Mobile", "Work", "Handy", "Portable") is a fallback, in the order
    of ``_PHONE_HEADERS``.
    """
    folded = [fold_header(header) for header in headers]
    # "Phone Ext" starts like a phone column but holds extensions of the number beside it.
    taken = {index for index, name in enumerate(folded) if name in EXTENSION_HEADERS}

    def pick(
        words: tuple[str, ...], suffixes: tuple[str, ...] = (), exact: tuple[str, ...] = ()
    ) -> int | None:
        index = _find(folded, words, taken, suffixes, exact)
        if index is not None:
            taken.add(index)
        return index

    phone = pick(_PHONE_HEADERS, _PHONE_SUFFIXES, _PHONE_EXACT)
    if phone is None and len(headers) == 1:
        phone = 0
        taken.add(0)
    name = pick(_NAME_HEADERS)
    last_name = None
    if name is None:
        name = pick(_FIRST_NAME_HEADERS)
        last_name = pick(_LAST_NAME_HEADERS)
        if name is None:
            name, last_name = last_name, None
    company = pick(_COMPANY_HEADERS)
    notes = pick(_NOTES_HEADERS)
    more: list[int] = []
    while phone is not None:
        index = pick(_PHONE_HEADERS, _PHONE_SUFFIXES, _PHONE_EXACT)
        if index is None:
            break
        more.append(index)
    return ColumnMap(
        name=name,
        phone=phone,
        company=company,
        notes=notes,
        last_name=last_name,
        more_phones=tuple(more),
    )
