import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { silentLogger } from "@smarty/service-kit";
import { type Gpg, type SmtpSink, startGpg, startSmtpSink, tempDir } from "@smarty/testkit";
import { simpleParser } from "mailparser";
import { generateKey } from "openpgp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmailChannel } from "../../src/email/email-channel.js";
import { RecipientKeyError } from "../../src/email/pgp-keys.js";
import { createSmtpTransport } from "../../src/email/smtp-transport.js";
import type { OutboxMessage } from "../../src/ports.js";

const SECRET_LINE = "Energy imported: 25.750 kWh";

function report(to: string): OutboxMessage {
  return {
    id: "m1",
    channel: "email",
    to,
    created_at: new Date().toISOString(),
    attempts: 0,
    payload: {
      kind: "report",
      period: "day",
      meter_id: "SAG1030790002574",
      subject: "Smarty day report 2026-10-25",
      text: `${SECRET_LINE}\nPeak 15-minute import: 4.000 kW at 18:00\n`,
      html: `<p>${SECRET_LINE}</p><img src="cid:chart.png">`,
      attachments: [
        { filename: "chart.png", content_type: "image/png", base64: Buffer.from("PNGDATA-xyz").toString("base64") },
        {
          filename: "hourly.csv",
          content_type: "text/csv",
          base64: Buffer.from("hour,import_kwh\n00:00,1.000\n").toString("base64"),
        },
      ],
    },
  };
}

describe("PGP/MIME email", () => {
  let gpg: Gpg;
  let sink: SmtpSink;
  const dir = tempDir("notifier-keys");
  const keys = join(dir.path, "keys");
  let channel: EmailChannel;

  beforeAll(async () => {
    gpg = startGpg();
    sink = await startSmtpSink({ auth: { username: "smarty", password: "s3cret" } });
    await gpg.generateKey("Alice <alice@example.org>");
    mkdirSync(keys);
    writeFileSync(join(keys, "alice.asc"), await gpg.exportPublic("alice@example.org"));
    const old = await generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ name: "Carol", email: "carol@example.org" }],
      date: new Date(Date.now() - 3 * 86_400_000),
      keyExpirationTime: 86_400,
      format: "armored",
    });
    writeFileSync(join(keys, "carol.asc"), old.publicKey);
    channel = new EmailChannel({
      transport: createSmtpTransport({
        url: `smtp://127.0.0.1:${sink.port}`,
        tls: "none",
        username: "smarty",
        password: "s3cret",
      }),
      from: "smarty@example.org",
      encryption: "pgp",
      keysPath: keys,
      log: silentLogger(),
    });
  });

  afterAll(async () => {
    channel?.close();
    await sink?.stop();
    await gpg?.stop();
    dir.remove();
  });

  it("sends RFC 3156 multipart/encrypted that GnuPG decrypts to the full report", async () => {
    await channel.deliver(report("alice@example.org"));
    expect(sink.messages).toHaveLength(1);
    const mail = sink.messages[0]!;
    expect(mail.to).toEqual(["alice@example.org"]);
    const raw = mail.raw.toString("latin1");
    expect(raw).toMatch(/^Content-Type: multipart\/encrypted; protocol="application\/pgp-encrypted";/m);
    expect(raw).toMatch(/^Subject: Smarty report\r?$/m);
    for (const leak of ["25.750", "Energy imported", "hourly.csv", "chart.png", "2026-10-25", "SAG103"]) {
      expect(raw).not.toContain(leak);
    }
    const outer = await simpleParser(mail.raw);
    const parts = outer.attachments.map((a) => a.contentType);
    expect(parts).toEqual(["application/pgp-encrypted", "application/octet-stream"]);
    expect(outer.attachments[0]!.content.toString()).toContain("Version: 1");

    const { plaintext, status } = await gpg.decrypt(outer.attachments[1]!.content);
    expect(status).toContain("DECRYPTION_OKAY");
    const head = plaintext.toString("latin1").split("\r\n\r\n")[0]!;
    expect(head.split("\r\n").every((l) => /^(content-|[ \t])/i.test(l))).toBe(true);
    const inner = await simpleParser(plaintext);
    expect(inner.text).toContain(SECRET_LINE);
    expect(inner.html).toContain(SECRET_LINE);
    const files = inner.attachments.map((a) => [a.filename, a.contentType]);
    expect(files).toEqual([
      ["chart.png", "image/png"],
      ["hourly.csv", "text/csv"],
    ]);
    expect(inner.attachments[1]!.content.toString()).toContain("00:00,1.000");
  });

  it("sends plain mail with the real subject only when encryption is off", async () => {
    const plain = new EmailChannel({
      transport: createSmtpTransport({
        url: `smtp://127.0.0.1:${sink.port}`,
        tls: "none",
        username: "smarty",
        password: "s3cret",
      }),
      from: "smarty@example.org",
      encryption: "off",
      log: silentLogger(),
    });
    const before = sink.messages.length;
    await plain.deliver(report("bob@example.org"));
    plain.close();
    const mail = await simpleParser(sink.messages[before]!.raw);
    expect(mail.subject).toBe("Smarty day report 2026-10-25");
    expect(mail.text).toContain(SECRET_LINE);
  });

  it("signs with the notifier's key when one is configured", async () => {
    const own = await generateKey({
      type: "ecc",
      curve: "curve25519Legacy",
      userIDs: [{ name: "Smarty", email: "smarty@example.org" }],
      format: "object",
    });
    await gpg.importKey(own.publicKey.armor());
    const signed = new EmailChannel({
      transport: createSmtpTransport({
        url: `smtp://127.0.0.1:${sink.port}`,
        tls: "none",
        username: "smarty",
        password: "s3cret",
      }),
      from: "smarty@example.org",
      encryption: "pgp",
      keysPath: keys,
      signingKey: own.privateKey,
      log: silentLogger(),
    });
    const before = sink.messages.length;
    await signed.deliver(report("alice@example.org"));
    signed.close();
    const outer = await simpleParser(sink.messages[before]!.raw);
    const { status } = await gpg.decrypt(outer.attachments[1]!.content);
    expect(status).toContain("GOODSIG");
  });

  it("refuses to send when the key folder cannot be read", async () => {
    const broken = new EmailChannel({
      transport: createSmtpTransport({ url: `smtp://127.0.0.1:${sink.port}`, tls: "none" }),
      from: "smarty@example.org",
      encryption: "pgp",
      keysPath: join(dir.path, "no-such-folder"),
      log: silentLogger(),
    });
    await expect(broken.deliver(report("alice@example.org"))).rejects.toMatchObject({ reason: "unusable" });
    expect((await broken.checkRecipients(["alice@example.org"])).map((p) => p.reason)).toEqual(["unusable"]);
    broken.close();
  });

  it("refuses to send to a recipient without a key, or with an expired key", async () => {
    const before = sink.messages.length;
    await expect(channel.deliver(report("bob@example.org"))).rejects.toMatchObject({
      name: "RecipientKeyError",
      reason: "missing",
    });
    await expect(channel.deliver(report("carol@example.org"))).rejects.toMatchObject({ reason: "expired" });
    expect(sink.messages.length).toBe(before);
    const problems = await channel.checkRecipients(["alice@example.org", "bob@example.org", "carol@example.org"]);
    expect(problems.map((p) => [p.recipient, p.reason])).toEqual([
      ["bob@example.org", "missing"],
      ["carol@example.org", "expired"],
    ]);
    expect(problems[0]).toBeInstanceOf(RecipientKeyError);
  });
});
