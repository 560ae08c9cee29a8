import { describe, expect, it } from "vitest";
import { createAccessCheck, loopbackHosts } from "../../src/server/http-access.js";

describe("createAccessCheck", () => {
  it("accepts by default only the loopback names at the bound port", () => {
    const check = createAccessCheck({ allowedHosts: loopbackHosts(8123), allowedOrigins: [] });
    for (const host of ["localhost:8123", "127.0.0.1:8123", "[::1]:8123", "LOCALHOST:8123"]) {
      expect(check({ host })).toBeUndefined();
    }
    for (const host of ["localhost:8124", "localhost", "evil.example:8123", "127.0.0.2:8123", "[::2]:8123"]) {
      expect(check({ host })).toBe("host");
    }
    expect(check({})).toBe("host");
    expect(check({ host: "" })).toBe("host");
    expect(check({ host: "a:b:c" })).toBe("host");
  });

  it("lets a listed host without a port match any port, and a host with a port only that port", () => {
    const check = createAccessCheck({
      allowedHosts: ["mcp.example.com", "internal.example:9000"],
      allowedOrigins: [],
    });
    expect(check({ host: "mcp.example.com" })).toBeUndefined();
    expect(check({ host: "mcp.example.com:443" })).toBeUndefined();
    expect(check({ host: "internal.example:9000" })).toBeUndefined();
    expect(check({ host: "internal.example:9001" })).toBe("host");
    expect(check({ host: "internal.example" })).toBe("host");
    expect(check({ host: "mcp.example.com.evil.example" })).toBe("host");
  });

  it("passes requests without an Origin and refuses any Origin not listed, null included", () => {
    const check = createAccessCheck({
      allowedHosts: ["localhost"],
      allowedOrigins: ["https://app.example.com"],
    });
    expect(check({ host: "localhost" })).toBeUndefined();
    expect(check({ host: "localhost", origin: "https://app.example.com" })).toBeUndefined();
    expect(check({ host: "localhost", origin: "https://APP.example.com" })).toBeUndefined();
    expect(check({ host: "localhost", origin: "http://app.example.com" })).toBe("origin");
    expect(check({ host: "localhost", origin: "https://app.example.com:8443" })).toBe("origin");
    expect(check({ host: "localhost", origin: "https://evil.example" })).toBe("origin");
    expect(check({ host: "localhost", origin: "null" })).toBe("origin");
    expect(check({ host: "localhost", origin: "file://" })).toBe("origin");
  });

  it("checks the Host first: a bad Host is refused whatever the Origin", () => {
    const check = createAccessCheck({ allowedHosts: ["localhost"], allowedOrigins: [] });
    expect(check({ host: "evil.example", origin: "https://evil.example" })).toBe("host");
  });

  it("accepts an Origin naming an allowed Host (same origin) and refuses every other", () => {
    const check = createAccessCheck({
      allowedHosts: [...loopbackHosts(8123), "mcp.example.com"],
      allowedOrigins: [],
    });
    for (const origin of [
      "http://127.0.0.1:8123",
      "http://localhost:8123",
      "http://[::1]:8123",
      "https://mcp.example.com",
      "https://mcp.example.com:8443",
    ]) {
      expect(check({ host: "127.0.0.1:8123", origin })).toBeUndefined();
    }
    for (const origin of [
      "http://127.0.0.1:8124",
      "http://127.0.0.1",
      "http://evil.example.com:8123",
      "http://localhost.evil.example:8123",
      "http://user:pw@127.0.0.1:8123",
      "ftp://127.0.0.1:8123",
      "null",
    ]) {
      expect(check({ host: "127.0.0.1:8123", origin })).toBe("origin");
    }
  });
});
