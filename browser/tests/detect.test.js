/* Number detection on sample texts: `node --test browser/tests/` (pytest runs it too). */
"use strict";

const assert = require("node:assert/strict");
const { test } = require("node:test");
const { findPhoneNumbers } = require("../extension/detect.js");

const numbersIn = (text) => findPhoneNumbers(text).map((found) => found.number);

test("the usual ways a phone number is written are found as written", () => {
  const cases = {
    "Call +1 (208) 555-1234 today": ["+1 (208) 555-1234"],
    "(208) 555-1234": ["(208) 555-1234"],
    "208-555-1234": ["208-555-1234"],
    "208.555.1234": ["208.555.1234"],
    "2085551234": ["2085551234"],
    "+44 20 7946 0958": ["+44 20 7946 0958"],
    "+49 (0)30 1234567": ["+49 (0)30 1234567"],
    "Tel 0171 1234567": ["0171 1234567"],
    "01 23 45 67 89": ["01 23 45 67 89"],
    "+33\u00a01\u00a023\u00a045\u00a067\u00a089": ["+33\u00a01\u00a023\u00a045\u00a067\u00a089"],
    "555-1234": ["555-1234"],
    "+12085551234": ["+12085551234"],
  };
  for (const [text, expected] of Object.entries(cases)) {
    assert.deepEqual(numbersIn(text), expected, text);
  }
});

test("an extension written after the number belongs to it", () => {
  assert.deepEqual(numbersIn("Phone: 208-555-1234 ext. 55, fax"), ["208-555-1234 ext. 55"]);
  assert.deepEqual(numbersIn("208 555 1234 x12"), ["208 555 1234 x12"]);
});

test("positions point at the number in the text", () => {
  const text = "Jane: +1 208 555 1234; Bob: (208) 555-9876.";
  const found = findPhoneNumbers(text);
  assert.equal(found.length, 2);
  for (const { start, end, number } of found) assert.equal(text.slice(start, end), number);
  assert.equal(found[1].number, "(208) 555-9876");
});

test("a sentence's parenthesis is not part of the number", () => {
  assert.deepEqual(numbersIn("(call 208-555-1234)"), ["208-555-1234"]);
  assert.deepEqual(numbersIn("Support (208 555 1234 weekdays)"), ["208 555 1234"]);
});

test("dates are not phone numbers", () => {
  for (const text of [
    "Due 2024-01-15",
    "on 15/01/2024",
    "1.2.2024",
    "12.31.1999",
    "Season 2019-2020",
    "2024 / 01 / 15",
  ]) {
    assert.deepEqual(numbersIn(text), [], text);
  }
});

test("order ids, invoices and references are not phone numbers", () => {
  for (const text of [
    "Order #12345678",
    "order 1234567890",
    "Invoice no. 2024-000123",
    "INV-20240115-0042",
    "Ticket: 555-1234-99",
    "Case 00123456",
    "ID 2085551234",
    "SKU 123-456-7890",
    "Tracking 1Z999AA10123456784",
    "ref 2024-0001",
  ]) {
    assert.deepEqual(numbersIn(text), [], text);
  }
});

test("prices, amounts and measures are not phone numbers", () => {
  for (const text of [
    "Price $1,234.56",
    "Total: 1234567.89",
    "€ 1 234 567",
    "1 234 567 EUR",
    "Revenue 12 345 678 USD",
    "99.5%",
    "Balance: 20 855 512",
  ]) {
    assert.deepEqual(numbersIn(text), [], text);
  }
});

test("versions, addresses, times and short or long digit runs are not phone numbers", () => {
  for (const text of [
    "v1.2.3.4",
    "IP 192.168.100.200",
    "12:30 pm",
    "1234567",
    "12345678901234567890",
    "0000000000",
    "abc2085551234",
    "2085551234abc",
    "user@2085551234",
  ]) {
    assert.deepEqual(numbersIn(text), [], text);
  }
});

test("text without digits or with no room for a number costs nothing", () => {
  assert.deepEqual(findPhoneNumbers(""), []);
  assert.deepEqual(findPhoneNumbers("no numbers here"), []);
  assert.deepEqual(findPhoneNumbers(null), []);
});
