/** The OFD relay loop as a test host runs it: FF30 → FF31 blocks → (the OFD) → FF32/FF33 back. */
import { describeOfdMessage, encodeConfirmation } from "../ofd/confirmation.ts";
import {
  MAX_OFD_BLOCK,
  ofdMessageLength,
  readOfdBlock,
  startOfdAnswer,
  writeOfdBlock,
} from "../shtrih/commands/ofd.ts";
import { ADMIN } from "./test-fixtures.ts";
import type { TestLine } from "./test-line.ts";

/** Reads the FN's next outgoing message, or null when none is waiting. */
export async function readOfdMessage(line: TestLine): Promise<Uint8Array | null> {
  const { length } = await line.ok(ofdMessageLength, { password: ADMIN });
  if (length === 0) return null;
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += MAX_OFD_BLOCK) {
    const { data } = await line.ok(readOfdBlock, {
      password: ADMIN,
      offset,
      length: Math.min(MAX_OFD_BLOCK, length - offset),
    });
    out.set(data, offset);
  }
  return out;
}

export async function writeOfdAnswer(line: TestLine, answer: Uint8Array): Promise<number> {
  await line.ok(startOfdAnswer, { password: ADMIN, length: answer.length });
  let error = 0;
  for (let offset = 0; offset < answer.length; offset += 200) {
    const result = await line.call(writeOfdBlock, {
      password: ADMIN,
      offset,
      data: answer.subarray(offset, offset + 200),
    });
    if ("error" in result) error = result.error as number;
  }
  return error;
}

/** Relays every unsent document with an "accepted" confirmation. Returns how many. */
export async function relayAll(line: TestLine, fnNumber: string, replyCode = 0): Promise<number> {
  let count = 0;
  for (;;) {
    const message = await readOfdMessage(line);
    if (!message) return count;
    const { fdNumber } = describeOfdMessage(message);
    if (fdNumber === null) throw new Error("the emulated FN's message should carry a readable document");
    const error = await writeOfdAnswer(
      line,
      encodeConfirmation({ fnNumber, fdNumber, dateTime: 0, operatorSign: new Uint8Array(18), replyCode }),
    );
    if (error) throw new Error(`the FN refused the OFD answer: 0x${error.toString(16)}`);
    count++;
    if (replyCode !== 0) return count;
  }
}
