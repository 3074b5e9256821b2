/* Phone numbers in page text: where they are, and which look like something else. */
"use strict";

(function (root) {
  // A run that starts like a number (+, "(" or a digit), holds digits and the separators phone
  // numbers are written with, and ends on a digit. Later checks weed out what is not a number.
  const CANDIDATE = /(?:\+|\(\s*)?\d[\d \u00a0\t().\-/]{4,24}\d/g;
  // "ext. 12", "x12", "#12" after a number belong to it.
  const EXTENSION = /^\s*(?:ext\.?|extension|x|#)\s*\d{1,6}\b/i;
  // Words that make the digits after them an identifier or an amount, not a phone number.
  const NOT_A_PHONE_BEFORE =
    /(?:order|invoice|inv|id|ref|reference|no|nr|num|number|account|acct|po|ticket|case|sku|serial|zip|postcode|iban|tracking|version|ver|v|isbn|amount|total|price|balance|qty|quantity)\s*[.:#-]?\s*$/i;
  const CURRENCY_BEFORE = /[$€£¥₹₽¢]\s*$|\b(?:usd|eur|gbp|chf|jpy|cad|aud)\s*$/i;
  const CURRENCY_AFTER = /^\s*(?:[$€£¥₹₽%‰]|(?:usd|eur|gbp|chf|jpy|cad|aud|kg|km|mb|gb|kb|ms)\b)/i;
  const DATE_PATTERNS = [
    /^\d{4}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*\d{1,2}$/, // 2024-01-15
    /^\d{1,2}\s*[-/.]\s*\d{1,2}\s*[-/.]\s*(?:\d{2}|\d{4})$/, // 15/01/2024, 1.2.24
    /^(?:19|20)\d{2}\s*[-/]\s*(?:19|20)\d{2}$/, // 2019-2020
  ];
  const IP_ADDRESS = /^\d{1,3}(?:\.\d{1,3}){3}$/;
  const DECIMAL = /^\d+[.]\d{1,2}$/;

  function digitCount(text) {
    let count = 0;
    for (const ch of text) if (ch >= "0" && ch <= "9") count += 1;
    return count;
  }

  function balanced(text) {
    let depth = 0;
    for (const ch of text) {
      if (ch === "(") depth += 1;
      else if (ch === ")") depth -= 1;
      if (depth < 0 || depth > 1) return false;
    }
    return depth === 0;
  }

  function looksLikePhone(candidate, before, after) {
    const digits = digitCount(candidate);
    const international = candidate.startsWith("+");
    if (digits > 15 || digits < (international ? 8 : 7)) return false;
    if (!balanced(candidate)) return false;
    // Glued to a word, a longer number or an amount: part of something else.
    if (/[\p{L}\p{N}_@/.,:-]$/u.test(before) && !/\s$/.test(before)) {
      if (!/[(\s]$/.test(before)) return false;
    }
    if (/^[\p{L}\p{N}_@]/u.test(after) || /^[.,]\d/.test(after) || /^[-/]\d/.test(after)) return false;
    if (CURRENCY_BEFORE.test(before) || CURRENCY_AFTER.test(after)) return false;
    if (NOT_A_PHONE_BEFORE.test(before) || /#\s*$/.test(before)) return false;
    const plain = candidate.replace(/[()]/g, "").trim();
    if (DATE_PATTERNS.some((pattern) => pattern.test(plain))) return false;
    if (IP_ADDRESS.test(plain) || DECIMAL.test(plain)) return false;
    const separated = /[\s().\-/\u00a0]/.test(candidate);
    // An unformatted run is a phone number only at a phone number's usual length.
    if (!international && !separated && (digits < 10 || digits > 12)) return false;
    // Groups of digits joined by dots or slashes only are versions, dates or ids, not numbers,
    // unless they read as the usual 3-3-4 or 2-digit groups.
    if (!international && /^\d+[./][\d./]+$/.test(plain) && !/^\d{2,4}([./])\d{2,4}\1\d{2,4}(\1\d{2,4})?$/.test(plain))
      return false;
    if (/^0+$/.test(plain.replace(/\D/g, ""))) return false;
    return true;
  }

  /**
   * The phone numbers in `text`: [{start, end, number}], `number` as written (with its
   * extension), `start`/`end` its place in `text`.
   */
  function findPhoneNumbers(text) {
    const found = [];
    if (!text || !/\d{2}/.test(text)) return found;
    CANDIDATE.lastIndex = 0;
    let match;
    while ((match = CANDIDATE.exec(text)) !== null) {
      let start = match.index;
      let candidate = match[0];
      // "(" opening the match without a closing one belongs to the sentence, not the number.
      if (candidate.startsWith("(") && !candidate.includes(")")) {
        const trimmed = candidate.replace(/^\(\s*/, "");
        start += candidate.length - trimmed.length;
        candidate = trimmed;
      }
      let end = start + candidate.length;
      const before = text.slice(Math.max(0, start - 24), start);
      let after = text.slice(end, end + 24);
      if (!looksLikePhone(candidate, before, after)) continue;
      const extension = EXTENSION.exec(after);
      if (extension) {
        end += extension[0].length;
        after = text.slice(end, end + 24);
      }
      found.push({ start, end, number: text.slice(start, end) });
    }
    return found;
  }

  const exported = { findPhoneNumbers };
  if (typeof module !== "undefined" && module.exports) module.exports = exported;
  else root.A1Detect = exported;
})(globalThis);
