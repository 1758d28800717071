"""Bank details are checked with a clear message; the BACS file's names are safe."""

from __future__ import annotations

import pytest

from marketplace.invoicing.payments import bank, files


@pytest.mark.parametrize("text", ["12-34-56", "12 34 56", "123456", " 12-34-56 "])
def test_sort_codes_are_accepted_with_or_without_dashes(text):
    assert bank.clean_sort_code(text) == "123456"


@pytest.mark.parametrize("text", ["12-34-5", "1234567", "ab-cd-ef", "12.34.56", "", None])
def test_a_bad_sort_code_is_refused_with_a_clear_message(text):
    with pytest.raises(bank.BankDetailsError) as caught:
        bank.clean_sort_code(text)
    assert caught.value.field == "sort_code"
    assert "sort code" in str(caught.value.message)


@pytest.mark.parametrize("text", ["1234567", "123456789", "1234567a", "", "12-34-56"])
def test_an_account_number_must_be_8_digits(text):
    with pytest.raises(bank.BankDetailsError) as caught:
        bank.clean_account_number(text)
    assert "account number" in str(caught.value.message)


def test_an_account_number_may_be_typed_with_spaces():
    assert bank.clean_account_number("1234 5678") == "12345678"


def test_names_in_the_payment_file_use_only_bacs_characters():
    assert files.bacs_name("O'Brien & Sons (Care) Ltd – Harrow") == "OBRIEN & SONS CARE"
    assert files.pounds(123456) == "1234.56" and files.pounds(5) == "0.05"
