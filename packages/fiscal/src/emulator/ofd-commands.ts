/**
 * The FN's side of the OFD exchange: FF39 status, FF3F unconfirmed count, FF30/FF31 read the
 * outgoing message (30-byte session header + the document, plain TLV where a real FN encrypts),
 * FF32/FF33 write the OFD's answer back. A confirmation with reply code 0 clears that document's
 * unsent state; a rejection leaves it unsent; an answer that does not parse is refused (0x20).
 */

import { buildFnMessage, decodeConfirmation, OFD_REPLY_ACCEPTED } from "../ofd/confirmation.ts";
import {
  ofdMessageLength,
  ofdStatus,
  readOfdBlock,
  startOfdAnswer,
  unconfirmedCount,
  writeOfdBlock,
} from "../shtrih/commands/ofd.ts";
import { ERR_BAD_PARAMETERS, ERR_FN_OFD_ANSWER_REJECTED, ERR_NO_DATA } from "../shtrih/error-codes.ts";
import { documentStlv } from "./fn-document.ts";
import { isoToDevice, ZERO_DEVICE_TIME } from "./fn-time.ts";
import { handleFn, type KktDevice } from "./kkt-device.ts";

const EXCHANGE_MESSAGE_WAITING = 1 << 1;
const EXCHANGE_AWAITING_ANSWER = 1 << 2;

export function registerOfdCommands(device: KktDevice): void {
  device.register(
    ofdStatus.code,
    handleFn(ofdStatus, (d) => {
      const first = d.fn.firstUnsent();
      const relay = d.ofdRelay;
      let status = 0;
      if (first) status |= EXCHANGE_MESSAGE_WAITING;
      if (relay.message && relay.fdNumber !== null && d.fn.find(relay.fdNumber)?.ofdConfirmed === false) {
        status |= EXCHANGE_AWAITING_ANSWER;
      }
      return {
        exchangeStatus: status,
        readingMessage: relay.message ? 1 : 0,
        unsentCount: Math.min(d.fn.unsentCount, 0xffff),
        firstUnsentFd: first?.fdNumber ?? 0,
        firstUnsentDateTime: first ? isoToDevice(first.dateTime) : ZERO_DEVICE_TIME,
      };
    }),
  );

  device.register(
    unconfirmedCount.code,
    handleFn(unconfirmedCount, (d) => ({ count: Math.min(d.fn.unsentCount, 0xffff) })),
  );

  device.register(
    ofdMessageLength.code,
    handleFn(ofdMessageLength, (d) => {
      const relay = d.ofdRelay;
      const first = d.fn.firstUnsent();
      if (!first) {
        relay.message = null;
        relay.fdNumber = null;
        return { length: 0 };
      }
      relay.message = buildFnMessage(d.fn.fnNumber, documentStlv(first));
      relay.fdNumber = first.fdNumber;
      return { length: relay.message.length };
    }),
  );

  device.register(
    readOfdBlock.code,
    handleFn(readOfdBlock, (d, req) => {
      const message = d.ofdRelay.message;
      if (!message || req.offset >= message.length) return ERR_NO_DATA;
      return { data: message.slice(req.offset, req.offset + req.length) };
    }),
  );

  device.register(
    startOfdAnswer.code,
    handleFn(startOfdAnswer, (d, req) => {
      if (req.length === 0) return ERR_BAD_PARAMETERS;
      const relay = d.ofdRelay;
      relay.answer = new Uint8Array(req.length);
      relay.written = 0;
      return {};
    }),
  );

  device.register(
    writeOfdBlock.code,
    handleFn(writeOfdBlock, (d, req) => {
      const relay = d.ofdRelay;
      const answer = relay.answer;
      if (!answer) return ERR_NO_DATA;
      if (req.offset + req.data.length > answer.length) return ERR_BAD_PARAMETERS;
      answer.set(req.data, req.offset);
      relay.written = Math.max(relay.written, req.offset + req.data.length);
      if (relay.written < answer.length) return {};
      relay.answer = null;
      return applyAnswer(d, answer);
    }),
  );
}

function applyAnswer(d: KktDevice, answer: Uint8Array): Record<string, never> | number {
  let confirmation: ReturnType<typeof decodeConfirmation>;
  try {
    confirmation = decodeConfirmation(answer);
  } catch {
    return ERR_FN_OFD_ANSWER_REJECTED;
  }
  if (confirmation.fnNumber !== d.fn.fnNumber) return ERR_FN_OFD_ANSWER_REJECTED;
  const doc = d.fn.find(confirmation.fdNumber);
  if (!doc) return ERR_FN_OFD_ANSWER_REJECTED;
  if (confirmation.replyCode === OFD_REPLY_ACCEPTED) d.fn.confirm(doc.fdNumber);
  const relay = d.ofdRelay;
  if (relay.fdNumber === doc.fdNumber) {
    relay.message = null;
    relay.fdNumber = null;
  }
  return {};
}
