import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isLoopbackHost, securityHeaders } from "./security-headers.ts";

describe("securityHeaders", () => {
  it("sends a nonce CSP that forbids framing, nosniff and a referrer policy; HSTS only over HTTPS", () => {
    const plain = securityHeaders({ nonce: "abc", secure: false, development: false });
    expect(plain["content-security-policy"]).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(plain["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(plain["content-security-policy"]).not.toContain("unsafe-eval");
    expect(plain["content-security-policy"]).not.toContain("upgrade-insecure-requests");
    expect(plain).toMatchObject({
      "x-content-type-options": "nosniff",
      "referrer-policy": "strict-origin-when-cross-origin",
      "x-frame-options": "DENY",
    });
    expect(plain["strict-transport-security"]).toBeUndefined();
    const https = securityHeaders({ nonce: "abc", secure: true, development: false });
    expect(https["strict-transport-security"]).toBe("max-age=31536000; includeSubDomains");
    expect(https["content-security-policy"]).toContain("upgrade-insecure-requests");
  });

  it("allows eval and the HMR socket only under next dev", () => {
    const dev = contentSecurityPolicy({ nonce: "n", secure: false, development: true });
    expect(dev).toContain("'unsafe-eval'");
    expect(dev).toContain("connect-src 'self' ws: wss:");
  });
});

describe("isLoopbackHost", () => {
  it.each([
    ["localhost:3000", true],
    ["127.0.0.1:3000", true],
    ["127.1.2.3", true],
    ["[::1]:3000", true],
    ["192.168.1.5:3000", false],
    ["localhost.example.com", false],
    ["127.0.0.1.nip.io", false],
    [null, false],
  ])("%s → %s", (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
