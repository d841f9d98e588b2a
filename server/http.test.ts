import { describe, expect, it } from "vitest";
import { clientIp } from "./http";

const headers = (value: string) => new Headers({ "x-forwarded-for": value });

describe("clientIp", () => {
  it("takes the address the trusted proxy saw, not what the client claimed", () => {
    expect(clientIp(headers("10.0.0.99, 203.0.113.7"), 1)).toBe("203.0.113.7");
    expect(clientIp(headers("10.0.0.99, 203.0.113.7, 10.1.1.1"), 2)).toBe("203.0.113.7");
  });

  it("knows nothing without a proxy or a header", () => {
    expect(clientIp(headers("203.0.113.7"), 0)).toBeNull();
    expect(clientIp(new Headers(), 1)).toBeNull();
  });
});
