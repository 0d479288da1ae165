import { randomBytes, scryptSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { hashPassword, hashPin, PasswordHashError, verifyPassword } from "./passwords.ts";

/** A stored hash made with the given parameters, as an older release or a hostile server would send it. */
function storedWith(password: string, N: number, r: number, p: number, saltBytes = 16): string {
  const salt = randomBytes(saltBytes);
  const key = scryptSync(password, salt, 64, { N, r, p, maxmem: 512 * 1024 * 1024 });
  return ["scrypt", N, r, p, salt.toString("base64"), key.toString("base64")].join("$");
}

describe("dashboard passwords (scrypt)", () => {
  it("hashes at OWASP's minimum (N=2^17, r=8, p=1), verifies the right password only, fresh salt per hash", async () => {
    const stored = await hashPassword("correct horse");
    expect(stored).toMatch(/^scrypt\$131072\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(await verifyPassword("correct horse", stored)).toBe(true);
    expect(await verifyPassword("correct horsE", stored)).toBe(false);
    expect(await hashPassword("correct horse")).not.toBe(stored);
  });

  it("hashes PINs with OWASP's equivalent for small memory (N=2^14, r=8, p=5: 16 MiB), verified by the same function", async () => {
    const stored = await hashPin("2468");
    expect(stored).toMatch(/^scrypt\$16384\$8\$5\$/);
    expect(await verifyPassword("2468", stored)).toBe(true);
    expect(await verifyPassword("2469", stored)).toBe(false);
    await expect(hashPin("24a8")).rejects.toThrow(TypeError);
  });

  it("still verifies hashes made with the previous default (N=2^14), since the format carries its parameters", async () => {
    const legacy = storedWith("2468", 2 ** 14, 8, 1);
    expect(await verifyPassword("2468", legacy)).toBe(true);
    expect(await verifyPassword("2469", legacy)).toBe(false);
  });

  it("answers no to a string that is not this format and refuses an empty password", async () => {
    expect(await verifyPassword("x", "md5$abc")).toBe(false);
    expect(await verifyPassword("x", "")).toBe(false);
    await expect(hashPassword("")).rejects.toThrow(TypeError);
  });

  it.each([
    ["N below the floor", "scrypt$1024$8$1"],
    ["N not a power of two", "scrypt$100000$8$1"],
    ["N so large it would take gigabytes", "scrypt$1073741824$8$1"],
    ["r below 8", "scrypt$16384$1$1"],
    ["r that multiplies the memory", "scrypt$131072$1024$1"],
    ["p that multiplies the CPU time", "scrypt$16384$8$4096"],
    ["N=2^17 with p=16 (16× the work)", "scrypt$131072$8$16"],
    ["N=2^18 with r=16 (512 MiB)", "scrypt$262144$16$1"],
    ["a non-numeric N", "scrypt$abc$8$1"],
    ["N with an exponent", "scrypt$1e5$8$1"],
  ])("refuses a stored hash with %s with a typed error, computing nothing", async (_, params) => {
    const salt = Buffer.alloc(16).toString("base64");
    const stored = `${params}$${salt}$${Buffer.alloc(64).toString("base64")}`;
    const error = await verifyPassword("2468", stored).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PasswordHashError);
    expect((error as PasswordHashError).code).toBe("PASSWORD_HASH_PARAMETERS_REFUSED");
  });

  it("refuses a stored hash whose salt is shorter than 16 bytes", async () => {
    await expect(verifyPassword("2468", storedWith("2468", 2 ** 14, 8, 1, 4))).rejects.toThrow(
      PasswordHashError,
    );
  });
});
