import { ConfigError } from "@smarty/service-kit";
import { client } from "@xmpp/client";
import { describe, expect, it } from "vitest";
import {
  InsecureStreamError,
  tlsOnlyCredentials,
  trustCaForStartTls,
  useDirectTlsOptions,
} from "../../src/xmpp/tls-trust.js";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

describe("trustCaForStartTls", () => {
  it("accepts a CA that NODE_EXTRA_CA_CERTS already loaded", () => {
    expect(trustCaForStartTls("/etc/ca.pem", PEM, { NODE_EXTRA_CA_CERTS: "/etc/../etc/ca.pem" }, {})).toBe(
      "node-extra-ca-certs",
    );
  });

  it("adds the CA to the default list where Node can", () => {
    let set: string[] = [];
    const api = { getCACertificates: () => ["root"], setDefaultCACertificates: (c: string[]) => (set = c) };
    expect(trustCaForStartTls("/etc/ca.pem", PEM, {}, api)).toBe("default-ca-list");
    expect(set).toEqual(["root", PEM]);
  });

  it("refuses to start on an older Node, naming NODE_EXTRA_CA_CERTS", () => {
    expect(() => trustCaForStartTls("/etc/ca.pem", PEM, {}, {})).toThrow(ConfigError);
    expect(() => trustCaForStartTls("/etc/ca.pem", PEM, {}, {})).toThrow(/NODE_EXTRA_CA_CERTS=\/etc\/ca\.pem/);
  });
});

describe("direct TLS transport", () => {
  it("verifies against the XMPP domain and trusts only the given CA", () => {
    const c = client({ service: "xmpps://127.0.0.1:5223", domain: "example.org" });
    useDirectTlsOptions(c, "example.org", PEM);
    const params = c.transports
      .map((T) => (T.prototype.socketParameters as (s: string) => unknown)("xmpps://127.0.0.1:5223"))
      .find(Boolean);
    expect(params).toEqual({ port: 5223, host: "127.0.0.1", servername: "example.org", ca: [PEM] });
  });
});

describe("tlsOnlyCredentials", () => {
  it("never authenticates over a stream without TLS", async () => {
    let called = false;
    const credentials = tlsOnlyCredentials("smarty", "secret");
    const authenticate = () => {
      called = true;
      return Promise.resolve();
    };
    await expect(credentials(authenticate, ["PLAIN"], null, { isSecure: () => false })).rejects.toThrow(
      InsecureStreamError,
    );
    expect(called).toBe(false);
    await expect(credentials(authenticate, ["ANONYMOUS"], null, { isSecure: () => true })).rejects.toThrow(
      /no SASL mechanism for a password login/,
    );
    expect(called).toBe(false);
    await credentials(authenticate, ["SCRAM-SHA-1", "PLAIN"], null, { isSecure: () => true });
    expect(called).toBe(true);
  });
});
