import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type SmtpSink, startSmtpSink, tempDir } from "@smarty/testkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { classifySmtpError, createSmtpTransport } from "../../src/email/smtp-transport.js";
import { TemporaryDeliveryError } from "../../src/ports.js";

const dir = tempDir("smtp-tls");
const cert = join(dir.path, "localhost.crt");
const key = join(dir.path, "localhost.key");

async function send(url: string, tls: "starttls" | "implicit" | "none", caFile?: string): Promise<unknown> {
  const t = createSmtpTransport({ url, tls, caFile });
  try {
    await t.sendMail({ envelope: { from: "s@example.org", to: ["a@example.org"] }, raw: "Subject: x\r\n\r\nbody\r\n" });
    return undefined;
  } catch (err) {
    return classifySmtpError(err);
  } finally {
    t.close();
  }
}

describe("SMTP TLS modes", () => {
  let starttls: SmtpSink;
  let implicit: SmtpSink;
  let plain: SmtpSink;

  beforeAll(async () => {
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=DNS:localhost",
        "-keyout",
        key,
        "-out",
        cert,
      ],
      { stdio: "ignore" },
    );
    const tls = { key: readFileSync(key), cert: readFileSync(cert) };
    [starttls, implicit, plain] = await Promise.all([
      startSmtpSink({ tls }),
      startSmtpSink({ tls: { ...tls, secure: true } }),
      startSmtpSink(),
    ]);
  });
  afterAll(async () => {
    await Promise.all([starttls?.stop(), implicit?.stop(), plain?.stop()]);
    dir.remove();
  });

  it("delivers over STARTTLS and implicit TLS when the certificate verifies against the given CA", async () => {
    expect(await send(`smtp://localhost:${starttls.port}`, "starttls", cert)).toBeUndefined();
    expect(await send(`smtps://localhost:${implicit.port}`, "implicit", cert)).toBeUndefined();
    expect(starttls.messages).toHaveLength(1);
    expect(implicit.messages).toHaveLength(1);
  });

  it("refuses an unverifiable certificate, and refuses to go on in clear without STARTTLS", async () => {
    const untrusted = await send(`smtp://localhost:${starttls.port}`, "starttls");
    expect(untrusted).toBeInstanceOf(TemporaryDeliveryError);
    expect(String((untrusted as Error).message)).toMatch(/self[- ]signed/i);
    const noStarttls = await send(`smtp://localhost:${plain.port}`, "starttls");
    expect(noStarttls).toBeInstanceOf(Error);
    expect(plain.messages).toHaveLength(0);
    expect(starttls.messages).toHaveLength(1);
  });
});
