/**
 * Reads required and optional fields out of a decoded STLV, turning a missing or mistyped tag
 * into one clear DOCUMENT_INVALID error instead of `undefined` leaking into the model.
 */
import { FfdError } from "./errors.ts";
import { describeTag } from "./tags.ts";
import type { TlvField } from "./tlv.ts";

export interface FieldReader {
  number(tag: number): number;
  optNumber(tag: number): number | undefined;
  string(tag: number): string;
  optString(tag: number): string | undefined;
  bytes(tag: number): Uint8Array;
  optBytes(tag: number): Uint8Array | undefined;
  /** Every occurrence of an STLV tag (e.g. the items 1059), as field lists. */
  lists(tag: number): TlvField[][];
}

export function fieldReader(fields: readonly TlvField[], where: string): FieldReader {
  const find = (tag: number) => fields.find((f) => f.tag === tag);
  const invalid = (message: string) => new FfdError("DOCUMENT_INVALID", `${where}: ${message}`);
  const required = <T>(tag: number, value: T | undefined): T => {
    if (value === undefined) throw invalid(`required tag ${describeTag(tag)} is missing`);
    return value;
  };
  const optNumber = (tag: number) => {
    const f = find(tag);
    if (f === undefined) return undefined;
    if (typeof f.value !== "number") throw invalid(`tag ${describeTag(tag)} must be a number`);
    return f.value;
  };
  const optString = (tag: number) => {
    const f = find(tag);
    if (f === undefined) return undefined;
    if (f.type !== "string") throw invalid(`tag ${describeTag(tag)} must be a string`);
    return f.value;
  };
  const optBytes = (tag: number) => {
    const f = find(tag);
    if (f === undefined) return undefined;
    if (f.type !== "bytes") throw invalid(`tag ${describeTag(tag)} must be bytes`);
    return f.value;
  };
  return {
    number: (tag) => required(tag, optNumber(tag)),
    optNumber,
    string: (tag) => required(tag, optString(tag)),
    optString,
    bytes: (tag) => required(tag, optBytes(tag)),
    optBytes,
    lists: (tag) =>
      fields
        .filter((f) => f.tag === tag)
        .map((f) => {
          if (f.type !== "stlv") throw invalid(`tag ${describeTag(tag)} must be an STLV`);
          return f.value;
        }),
  };
}
